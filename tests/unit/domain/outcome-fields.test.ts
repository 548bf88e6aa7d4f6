import { describe, expect, it } from "vitest";
import { validateOutcomeFields } from "../../../shared/domain/workflows/fields";
import type { OutcomeField } from "../../../shared/domain/workflows";

const fields: OutcomeField[] = [
  { name: "items", type: "list", label: "事项", required: true, maxItems: 2, maxLength: 5 },
  { name: "days", type: "integer", label: "天数", required: true, min: 1, max: 20 },
  { name: "kind", type: "choice", label: "类型", required: true, choices: [{ value: "a", label: "甲" }, { value: "b", label: "乙" }] },
  { name: "why", type: "text", label: "理由", required: false, requiredWhen: { field: "kind", values: ["b"] } },
  { name: "on", type: "date", label: "日期", required: false },
];

describe("outcome fields", () => {
  it("takes JSON (numbers, arrays) and HTML forms (strings, one item per line) alike", () => {
    expect(validateOutcomeFields(fields, { items: ["一", " 二 "], days: 5, kind: "a" })).toEqual({ values: { items: ["一", "二"], days: 5, kind: "a" }, errors: [] });
    expect(validateOutcomeFields(fields, { items: "一\r\n\n二", days: "5", kind: "a", on: "2026-03-02" }).values).toEqual({ items: ["一", "二"], days: 5, kind: "a", on: "2026-03-02" });
  });

  it("names every field at fault in Chinese", () => {
    const { errors } = validateOutcomeFields(fields, { items: ["一", "二", "三"], days: 21, kind: "c", on: "2026-02-30" });
    expect(errors.map((e) => [e.path, e.code])).toEqual([["items", "too_many"], ["days", "out_of_range"], ["kind", "invalid_choice"], ["on", "invalid_format"]]);
    expect(errors.every((e) => /[\u4e00-\u9fff]/.test(e.message))).toBe(true);
    expect(validateOutcomeFields(fields, { items: "", days: "1.5", kind: "a" }).errors.map((e) => [e.path, e.code])).toEqual([["items", "required"], ["days", "wrong_type"]]);
  });

  it("requires a field only when another field has the value that needs it", () => {
    expect(validateOutcomeFields(fields, { items: ["x"], days: 1, kind: "a" }).errors).toEqual([]);
    expect(validateOutcomeFields(fields, { items: ["x"], days: 1, kind: "b" }).errors).toEqual([expect.objectContaining({ path: "why", code: "required" })]);
  });
});
