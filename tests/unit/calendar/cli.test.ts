import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runCli } from "../../../shared/cli/main";
import { fixedClock } from "../../../shared/domain/clock";

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // no TABLE_NAME: works offline on the official data
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    cwd: fileURLToPath(new URL("../../fixtures/calendar/", import.meta.url)),
    clock: fixedClock("2026-11-27T02:00:00.000Z"),
  });
  return { code, out, err };
}

describe("gongkai deadline", () => {
  it("prints the due date on the first line", async () => {
    const r = await cli("deadline", "--from", "2024-09-27", "--days", "20");
    expect(r).toEqual({ code: EXIT_OK, out: ["2024-10-30"], err: [] });
  });

  it("adds provisional when the period reaches a year without schedule", async () => {
    const r = await cli("deadline", "--from", "2026-12-25", "--days", "20");
    expect(r.out).toEqual(["2027-01-22 provisional"]);
  });

  it("--explain adds the day-by-day reasoning after the due date", async () => {
    const r = await cli("deadline", "--from", "2024-02-08", "--days", "3", "--explain");
    expect(r.out[0]).toBe("2024-02-19");
    expect(r.out).toContain("  2024-02-18（周日）春节调休上班，计为第 2 个工作日");
    expect(r.out.at(-1)).toBe("  2024-02-19（周一）第 3 个工作日，期限届满");
  });

  it.each([
    [["deadline", "--days", "3"], /缺少 --from/],
    [["deadline", "--from", "2024-02-30", "--days", "3"], /不是有效日期/],
    [["deadline", "--from", "2024-02-08"], /缺少 --days/],
    [["deadline", "--from", "2024-02-08", "--days", "0"], /1 至 40/],
    [["deadline", "--from", "2024-02-08", "--days", "41"], /1 至 40/],
    [["deadline", "--from", "2024-02-08", "--days", "2.5"], /1 至 40/],
    [["deadline", "--from", "2024-02-08", "--days", "3", "--bogus"], /bogus/],
    [["frobnicate"], /未知命令/],
    [["calendar", "drop"], /未知的 calendar 子命令/],
  ])("usage error %j exits 2 with a message", async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.out).toEqual([]);
    expect(r.err.join("\n")).toMatch(message);
  });
});

describe("gongkai calendar", () => {
  it("list shows every official year with its notice, and the missing next year", async () => {
    const r = await cli("calendar", "list");
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toContain("2024  官方  国办发明电〔2023〕7号  2023-10-25");
    expect(r.out.find((l) => l.startsWith("2020"))).toContain("更正：国办发明电〔2020〕1号");
    expect(r.out.find((l) => l.startsWith("2027"))).toContain("缺失");
    expect(r.out.at(-1)).toBe("缺失年份：2027");
  });

  it("import of a malformed file names line and field, exits 1 and needs no store", async () => {
    const r = await cli("calendar", "import", "2027-bad.json");
    expect(r.code).toBe(EXIT_FAILED);
    expect(r.err).toEqual([
      "2027-bad.json:6: holidays[1].to: 结束日期 2027-02-05 早于开始日期 2027-02-13",
      "2027-bad.json:9: makeUpWorkdays[0].date: 调休上班日 2027-01-06 不是周六或周日",
      "文件有 2 处错误，未导入任何内容。/ The file is invalid; nothing was imported.",
    ]);
  });

  it("import of a valid file without a table refuses clearly", async () => {
    const r = await cli("calendar", "import", "2027-test.json");
    expect(r.code).toBe(EXIT_FAILED);
    expect(r.err.join("\n")).toMatch(/无法连接日历存储.*Cannot reach the calendar store/);
  });

  it("import of a missing file fails", async () => {
    const r = await cli("calendar", "import", "no-such.json");
    expect(r.code).toBe(EXIT_FAILED);
    expect(r.err[0]).toMatch(/无法读取文件/);
  });
});

describe("bin/gongkai.mjs", () => {
  it("runs from any working directory and forwards the exit code", async () => {
    // Prepare
    const bin = fileURLToPath(new URL("../../../bin/gongkai.mjs", import.meta.url));
    const env = { ...process.env, TABLE_NAME: "", AWS_ENDPOINT_URL_DYNAMODB: "" };
    // Act
    const ok = await promisify(execFile)(process.execPath, [bin, "deadline", "--from", "2025-09-26", "--days", "6"], { cwd: tmpdir(), env });
    const usage = await promisify(execFile)(process.execPath, [bin, "deadline", "--days", "6"], { cwd: tmpdir(), env }).catch((e: { code: number; stderr: string }) => e);
    // Assess
    expect(ok.stdout).toBe("2025-10-11\n");
    expect("code" in usage && usage.code).toBe(EXIT_USAGE);
  });
});
