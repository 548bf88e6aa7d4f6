import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../support/stack";
import type { TestStack } from "../../support/stack";
import type { WorkingCalendar, YearSchedule } from "../../../shared/domain/calendar";
import { CalendarRevisionConflictError, createCalendarStore, loadCalendar } from "../../../shared/adapters/aws/calendar-store";
import type { CalendarStore } from "../../../shared/adapters/aws/calendar-store";
import { enterYearSchedule } from "../../../shared/app/calendar/enter-year-schedule";
import { ConflictError, ValidationError } from "../../../shared/app/errors";
import { fixedClock } from "../../../shared/domain/clock";
import { ensureTable } from "../../../shared/adapters/local/dynamodb-local";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const fixtures = fileURLToPath(new URL("../../fixtures/calendar/", import.meta.url));
const bin = fileURLToPath(new URL("../../../bin/gongkai.mjs", import.meta.url));
const test2027 = JSON.parse(readFileSync(`${fixtures}2027-test.json`, "utf8")) as YearSchedule;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ setEnv: false });
});
const extraTables: string[] = [];
afterAll(async () => {
  await Promise.all(extraTables.map((TableName) => stack.ddb.send(new DeleteTableCommand({ TableName })).catch(() => undefined)));
  await stack?.stop();
});

/**
 * The real client, except that each read waits until `parties` reads have completed:
 * concurrent writers then all act on the same state, as in the race they guard against.
 */
function readsMeetFirst(doc: DynamoDBDocumentClient, parties: number): DynamoDBDocumentClient {
  const waiting: Array<() => void> = [];
  return new Proxy(doc, {
    get(target, property, receiver) {
      if (property !== "send") return Reflect.get(target, property, receiver);
      return async (command: Parameters<DynamoDBDocumentClient["send"]>[0]) => {
        const out = await target.send(command as never);
        if (command instanceof GetCommand) {
          await new Promise<void>((release) => {
            waiting.push(release);
            if (waiting.length >= parties) waiting.splice(0).forEach((r) => r());
          });
        }
        return out;
      };
    },
  });
}

/** Each test gets its own table so revisions do not leak between tests. */
async function freshStore(): Promise<{ store: CalendarStore; tableName: string }> {
  const tableName = `${stack.tableName}-${Math.random().toString(36).slice(2, 8)}`;
  await ensureTable(stack.ddb, tableName);
  extraTables.push(tableName);
  return { store: createCalendarStore({ doc: stack.doc, tableName }), tableName };
}

async function gongkai(tableName: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ...stack.env, TABLE_NAME: tableName, GONGKAI_USER: "cli-admin" };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: fixtures, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("calendar store (DynamoDB Local)", () => {
  it("stores an entry with who and when, keeps every revision, and lists the current one", async () => {
    // Prepare
    const { store } = await freshStore();
    const corrected: YearSchedule = { ...test2027, makeUpWorkdays: [{ date: "2027-01-09", holiday: "元旦" }] };
    // Act
    const first = await store.put(test2027, "张三", new Date("2026-11-27T02:00:00.000Z"));
    const second = await store.put(corrected, "李四", new Date("2026-12-01T03:00:00.000Z"));
    // Assess
    expect(first).toMatchObject({ revision: 1, enteredBy: "张三", enteredAt: "2026-11-27T02:00:00.000Z" });
    expect(second.revision).toBe(2);
    expect(await store.listEntered()).toEqual([{ schedule: corrected, enteredBy: "李四", enteredAt: "2026-12-01T03:00:00.000Z", revision: 2 }]);
    expect((await store.history(2027)).map((h) => [h.revision, h.enteredBy])).toEqual([
      [1, "张三"],
      [2, "李四"],
    ]);
  });

  it("of two concurrent entries of the same year exactly one wins", async () => {
    const { tableName } = await freshStore();
    // both entries read the current revision before either writes: the race, made certain
    const store = createCalendarStore({ doc: readsMeetFirst(stack.doc, 2), tableName });
    const results = await Promise.allSettled([
      store.put(test2027, "甲", new Date("2026-11-27T02:00:00.000Z")),
      store.put(test2027, "乙", new Date("2026-11-27T02:00:00.000Z")),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect(rejected?.status === "rejected" && rejected.reason).toBeInstanceOf(CalendarRevisionConflictError);
    expect(await store.history(2027)).toHaveLength(1);
  });

  it("loadCalendar overlays entered years on the official data; an entered year replaces the official one", async () => {
    // Prepare
    const { store } = await freshStore();
    const official2024 = (await loadCalendar(store)).schedule(2024)!;
    const corrected2024: YearSchedule = { ...official2024, holidays: [...official2024.holidays, { name: "测试假日", from: "2024-12-30", to: "2024-12-31" }] };
    await store.put(test2027, "admin", new Date("2026-11-27T02:00:00.000Z"));
    await store.put(corrected2024, "admin", new Date("2026-11-27T02:00:00.000Z"));
    // Act
    const cal = await loadCalendar(store);
    // Assess
    expect(cal.addWorkingDays("2026-12-25", 5)).toEqual({ date: "2027-01-04", provisional: false });
    expect(cal.isWorkingDay("2024-12-30")).toBe(false);
    expect(cal.isWorkingDay("2024-02-18")).toBe(true);
  });
});

describe("enterYearSchedule", () => {
  it("validates, stores, then re-computes with the calendars before and after", async () => {
    // Prepare
    const { store } = await freshStore();
    const calls: Array<{ before: WorkingCalendar; after: WorkingCalendar; by: string }> = [];
    const deps = {
      store,
      clock: fixedClock("2026-11-27T02:00:00.000Z"),
      recomputeOpenDeadlines: async (before: WorkingCalendar, after: WorkingCalendar, by: string) => {
        calls.push({ before, after, by });
        return { changed: 3 };
      },
    };
    // Act
    const result = await enterYearSchedule(deps, test2027, "王芳");
    // Assess
    expect(result).toEqual({ stored: { schedule: test2027, enteredBy: "王芳", enteredAt: "2026-11-27T02:00:00.000Z", revision: 1 }, changed: 3 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.before.hasSchedule(2027)).toBe(false);
    expect(calls[0]!.after.hasSchedule(2027)).toBe(true);
    expect(calls[0]!.by).toBe("王芳");
  });

  it("refuses an invalid schedule and stores nothing", async () => {
    const { store } = await freshStore();
    let hookCalled = false;
    const deps = { store, clock: fixedClock("2026-11-27T02:00:00.000Z"), recomputeOpenDeadlines: async () => ((hookCalled = true), { changed: 0 }) };
    const bad: YearSchedule = { ...test2027, makeUpWorkdays: [{ date: "2027-01-05", holiday: "元旦" }] };
    const error = await enterYearSchedule(deps, bad, "王芳").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual([{ path: "makeUpWorkdays[0].date", code: "invalid", message: "调休上班日 2027-01-05 不是周六或周日" }]);
    expect(await store.listEntered()).toEqual([]);
    expect(hookCalled).toBe(false);
  });

  it("turns a lost race into a ConflictError", async () => {
    const { store } = await freshStore();
    // another administrator's entry landed between our read and our write
    const racing: CalendarStore = { ...store, put: async (schedule) => Promise.reject(new CalendarRevisionConflictError(schedule.year, 0)) };
    const deps = { store: racing, clock: fixedClock("2026-11-27T02:00:00.000Z"), recomputeOpenDeadlines: async () => ({ changed: 0 }) };
    await expect(enterYearSchedule(deps, test2027, "王芳")).rejects.toBeInstanceOf(ConflictError);
  });
});

describe("gongkai CLI against the table", () => {
  it("import stores the year, list shows who entered it, and deadlines into it stop being provisional", async () => {
    // Prepare
    const { store, tableName } = await freshStore();
    const before = await gongkai(tableName, "deadline", "--from", "2026-12-25", "--days", "5");
    // Act
    const imported = await gongkai(tableName, "calendar", "import", "2027-test.json", "--by", "管理员甲");
    // Assess
    expect(before.stdout.split("\n")[0]).toBe("2027-01-01 provisional");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("已录入 2027 年放假安排（测试〔2026〕1号，第 1 版，录入人 管理员甲）");
    expect(await store.listEntered()).toHaveLength(1);
    const after = await gongkai(tableName, "deadline", "--from", "2026-12-25", "--days", "5");
    expect(after.stdout.split("\n")[0]).toBe("2027-01-04");
    const list = await gongkai(tableName, "calendar", "list");
    expect(list.stdout).toMatch(/^2027 {2}录入 {2}测试〔2026〕1号 {2}2026-11-01 {2}录入人 管理员甲，录入于 \S+，第 1 版$/m);
  });

  it("a malformed file is rejected with line and field and changes nothing", async () => {
    const { store, tableName } = await freshStore();
    const r = await gongkai(tableName, "calendar", "import", "2027-bad.json");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("2027-bad.json:6: holidays[1].to: 结束日期 2027-02-05 早于开始日期 2027-02-13");
    expect(await store.listEntered()).toEqual([]);
  });

  it("an unreachable table is reported clearly", async () => {
    const env = { ...process.env, ...stack.env, TABLE_NAME: "nowhere", AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9" };
    const r = await promisify(execFile)(process.execPath, [bin, "calendar", "import", `${fixtures}2027-test.json`], { cwd: tmpdir(), env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect("code" in r && r.code).toBe(1);
    expect(r.stderr).toMatch(/无法连接日历存储（DynamoDB 表 nowhere）.*Cannot reach the calendar store/);
  });
});
