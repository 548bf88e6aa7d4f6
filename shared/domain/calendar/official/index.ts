import type { YearSchedule } from "../types";
import y2020 from "./2020.json";
import y2021 from "./2021.json";
import y2022 from "./2022.json";
import y2023 from "./2023.json";
import y2024 from "./2024.json";
import y2025 from "./2025.json";
import y2026 from "./2026.json";

/**
 * The State Council General Office's holiday notices, one file per year, in the
 * exact YearSchedule shape (the same shape `gongkai calendar import` accepts).
 * Notes: 2020 holds the final schedule after the Spring Festival extension
 * (recorded under `corrections`); the 2023 notice's 元旦 range starts on
 * 2022-12-31, a Saturday that is off anyway, so the 2023 file starts it on 01-01
 * (a year file only holds dates of its own year).
 */
export const officialSchedules: readonly YearSchedule[] = [y2020, y2021, y2022, y2023, y2024, y2025, y2026];
