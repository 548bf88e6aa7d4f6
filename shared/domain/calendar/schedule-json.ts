import * as z from "zod";
import type { YearSchedule } from "./types";
import { validateYearSchedule } from "./validate";

export interface ScheduleJsonError {
  /** 1-based line in the text */
  line: number;
  /** e.g. `holidays[2].from`, or `[1].year` when the file holds an array */
  path: string;
  /** zh-CN */
  message: string;
}

export type ParseScheduleResult = { ok: true; schedules: YearSchedule[] } | { ok: false; errors: ScheduleJsonError[] };

type Seg = string | number;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * A small JSON reader that remembers where every value and key starts, so an error
 * can name the line at fault (JSON.parse reports neither line nor field).
 */
function parseWithPositions(text: string): { value: unknown; lineOf: Map<string, number> } {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const lineOf = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n\uFEFF".includes(text[i] ?? "")) i++;
  };
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, Math.min(i, Math.max(text.length - 1, 0)));
  };
  const str = (): string => {
    const startAt = i;
    i++;
    let out = "";
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === "\\") {
        // escapes are rare here: let the built-in parser decode the whole string
        const end = findStringEnd(text, startAt);
        try {
          const decoded = JSON.parse(text.slice(startAt, end + 1)) as string;
          i = end + 1;
          return decoded;
        } catch {
          fail("字符串中的转义无效");
        }
      }
      if (c === "\n") fail("字符串未闭合");
      out += c;
      i++;
    }
    return fail("字符串未闭合");
  };
  const value = (path: Seg[]): unknown => {
    ws();
    lineOf.set(key(path), lineAt(i));
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("此处应为用双引号括起的字段名");
        const keyLine = lineAt(i);
        const k = str();
        lineOf.set(key([...path, k]), keyLine);
        ws();
        if (text[i] !== ":") fail(`字段 "${k}" 后应为冒号`);
        i++;
        const v = value([...path, k]);
        lineOf.set(key([...path, k]), keyLine);
        obj[k] = v;
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail("此处应为逗号或 }");
      }
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value([...path, arr.length]));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail("此处应为逗号或 ]");
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
    if (!m) return fail(i >= text.length ? "内容意外结束" : `无法识别的内容 "${text.slice(i, i + 10)}"`);
    i += m[0].length;
    return JSON.parse(m[0]) as unknown;
  };
  try {
    const v = value([]);
    ws();
    if (i < text.length) fail("JSON 结束后仍有多余内容");
    return { value: v, lineOf };
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw Object.assign(error, { line: lineAt(error.offset) });
    throw error;
  }
}

function findStringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
  }
  return text.length;
}

function key(path: readonly Seg[]): string {
  return JSON.stringify(path);
}

export function formatPath(path: readonly Seg[]): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || "(根)";
}

const text = (what: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `缺少字段：${what}` : `${what}应为字符串`) });
const date = (what: string) => text(what).regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${what}应为 YYYY-MM-DD 格式的日期` });

const yearScheduleSchema = z.strictObject(
  {
    year: z.number({ error: (iss) => (iss.input === undefined ? "缺少字段：年份" : "年份应为数字") }).int({ error: "年份应为整数" }),
    notice: z.strictObject(
      { documentNumber: text("文号"), issuedOn: date("发文日期"), title: text("标题") },
      { error: (iss) => (iss.input === undefined ? "缺少字段：通知（notice）" : "通知（notice）应为对象") },
    ),
    holidays: z.array(z.strictObject({ name: text("节日名称"), from: date("开始日期"), to: date("结束日期") }, { error: "放假区间应为对象" }), {
      error: (iss) => (iss.input === undefined ? "缺少字段：放假安排（holidays）" : "放假安排（holidays）应为数组"),
    }),
    makeUpWorkdays: z.array(z.strictObject({ date: date("调休上班日"), holiday: text("对应节日") }, { error: "调休上班日应为对象" }), {
      error: (iss) => (iss.input === undefined ? "缺少字段：调休上班日（makeUpWorkdays）" : "调休上班日（makeUpWorkdays）应为数组"),
    }),
    corrections: z
      .array(z.strictObject({ documentNumber: text("文号"), issuedOn: date("发文日期"), note: text("说明") }, { error: "更正记录应为对象" }), {
        error: "更正记录（corrections）应为数组",
      })
      .optional(),
  },
  { error: "年度放假安排应为对象" },
);

/**
 * Reads a year's schedule (or an array of them) in the same JSON shape as the
 * repository's data files. Every problem names its line and field, in Chinese;
 * nothing is returned unless the whole text is valid.
 */
export function parseYearScheduleJson(input: string): ParseScheduleResult {
  let parsed: { value: unknown; lineOf: Map<string, number> };
  try {
    parsed = parseWithPositions(input);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return { ok: false, errors: [{ line: (error as JsonSyntaxError & { line: number }).line, path: "(JSON)", message: `JSON 语法错误：${error.message}` }] };
    }
    throw error;
  }
  const { value, lineOf } = parsed;
  const lineFor = (path: Seg[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const line = lineOf.get(key(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return 1;
  };
  const isArray = Array.isArray(value);
  const items: unknown[] = isArray ? value : [value];
  if (isArray && items.length === 0) return { ok: false, errors: [{ line: 1, path: "(根)", message: "文件中没有任何年度放假安排" }] };
  const errors: ScheduleJsonError[] = [];
  const schedules: YearSchedule[] = [];
  const years = new Map<number, number>();
  items.forEach((item, index) => {
    const base: Seg[] = isArray ? [index] : [];
    const result = yearScheduleSchema.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = [...base, ...(issue.path as Seg[])];
        if (issue.code === "unrecognized_keys") {
          for (const k of issue.keys) errors.push({ line: lineFor([...path, k]), path: formatPath([...path, k]), message: `未知字段 "${k}"` });
        } else {
          errors.push({ line: lineFor(path), path: formatPath(path), message: issue.message });
        }
      }
      return;
    }
    const schedule = result.data as YearSchedule;
    for (const issue of validateYearSchedule(schedule)) {
      const segs = issue.path.split(/\.|\[|\]/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      const path = [...base, ...segs];
      errors.push({ line: lineFor(path), path: formatPath(path), message: issue.message });
    }
    const dup = years.get(schedule.year);
    if (dup !== undefined) {
      errors.push({ line: lineFor([...base, "year"]), path: formatPath([...base, "year"]), message: `${schedule.year} 年在文件中重复出现（另见第 ${dup + 1} 项）` });
    }
    years.set(schedule.year, index);
    schedules.push(schedule);
  });
  errors.sort((a, b) => a.line - b.line);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, schedules };
}
