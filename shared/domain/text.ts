/**
 * Input hygiene for text people type (issue 7 item 2): the one rule every text field of
 * the system is checked with — application fields, outcome fields, staff forms and any
 * string of a JSON body.
 *
 * Refused, anywhere:
 * - NUL and the other C0 control characters (U+0000–U+001F) except tab, CR and LF, DEL
 *   and the C1 controls (U+007F–U+009F): invisible, and they break letters, mail and CSV;
 * - the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
 *   make a text read differently from what it stores ("Trojan Source");
 * - lone surrogates (a UTF-16 half without its other half: no character at all);
 * - U+FFFD, the replacement character: it only appears where something upstream failed
 *   to decode the text, and storing it would keep the damage for good.
 * Refused in single-line fields only: tab, CR and LF (multi-line fields keep them).
 *
 * Pure: no I/O, no dependencies, so the schemas, the workflow engine and the HTTP edge
 * share it.
 */

export type TextProblemKind = "control" | "line_break" | "bidi" | "lone_surrogate" | "replacement";

export interface TextProblem {
  kind: TextProblemKind;
  /** the offending code point, as `U+XXXX` */
  codePoint: string;
  /** position (UTF-16 index) of its first occurrence */
  index: number;
}

/** The machine code of every hygiene refusal (FieldError.code). */
export const INVALID_CHARACTER = "invalid_character";

const hex = (n: number) => `U+${n.toString(16).toUpperCase().padStart(4, "0")}`;

function kindOf(unit: number, multiline: boolean): TextProblemKind | undefined {
  if (unit === 0x09 || unit === 0x0a || unit === 0x0d) return multiline ? undefined : "line_break";
  if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return "control";
  if ((unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)) return "bidi";
  if (unit === 0xfffd) return "replacement";
  return undefined;
}

/**
 * The first character of `value` that a text field must not hold, or undefined when the
 * text is clean. `multiline` allows tab, CR and LF (textareas).
 */
export function textProblem(value: string, options: { multiline?: boolean } = {}): TextProblem | undefined {
  const multiline = options.multiline ?? false;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed pair: one character outside the BMP (emoji, rare CJK)
        continue;
      }
      return { kind: "lone_surrogate", codePoint: hex(unit), index: i };
    }
    // fast path: printable ASCII and most CJK
    if (unit >= 0x20 && unit < 0x7f) continue;
    const kind = kindOf(unit, multiline);
    if (kind) return { kind, codePoint: hex(unit), index: i };
  }
  return undefined;
}

const what: Record<TextProblemKind, (p: TextProblem) => string> = {
  control: (p) => `不可见的控制字符（${p.codePoint}）`,
  line_break: () => "换行符或制表符（此项只能填写一行）",
  bidi: (p) => `改变文字显示方向的控制字符（${p.codePoint}）`,
  lone_surrogate: (p) => `不完整的字符编码（${p.codePoint}）`,
  replacement: () => "无法识别的乱码字符（U+FFFD，通常是文字编码转换出错所致）",
};

/** The Chinese message naming the field, e.g. `申请人姓名含有不允许的字符：不可见的控制字符（U+0000），请删除后重新提交`. */
export function textProblemMessage(label: string, problem: TextProblem): string {
  return `${label}含有不允许的字符：${what[problem.kind](problem)}，请删除后重新提交`;
}

/** `{ code, message }` for a field whose text is refused, or undefined when it is clean. */
export function checkText(label: string, value: string, options: { multiline?: boolean } = {}): { code: typeof INVALID_CHARACTER; message: string } | undefined {
  const problem = textProblem(value, options);
  return problem ? { code: INVALID_CHARACTER, message: textProblemMessage(label, problem) } : undefined;
}

/**
 * Every string anywhere in a parsed JSON value (object values, array items; keys are
 * names, not text, and are not checked) that breaks the rule for multi-line text, with
 * its dotted path (`items.2`; "" for the value itself), at most `limit` of them. Fields
 * that must be one line are checked again by their own schema.
 */
export function findTextProblems(value: unknown, limit = 20): Array<{ path: string; problem: TextProblem }> {
  const out: Array<{ path: string; problem: TextProblem }> = [];
  // iterative: a deeply nested body must not exhaust the stack
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: "" }];
  while (stack.length > 0 && out.length < limit) {
    const { v, path } = stack.pop()!;
    const at = (key: string) => (path ? `${path}.${key}` : key);
    if (typeof v === "string") {
      const problem = textProblem(v, { multiline: true });
      if (problem) out.push({ path, problem });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: at(String(i)) });
    } else if (v && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ v: entries[i]![1], path: at(entries[i]![0]) });
    }
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every lone surrogate replaced by U+FFFD (`String.prototype.toWellFormed`), so it can be encoded. */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, "\uFFFD");
}

/**
 * The text without what `textProblem` refuses (for names the system keeps but a person
 * did not type, e.g. a browser's file name): forbidden characters are dropped.
 */
export function withoutTextProblems(value: string, options: { multiline?: boolean } = {}): string {
  let out = "";
  let rest = value;
  for (let problem = textProblem(rest, options); problem; problem = textProblem(rest, options)) {
    out += rest.slice(0, problem.index);
    rest = rest.slice(problem.index + 1);
  }
  return out + rest;
}
