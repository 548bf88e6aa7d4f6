import type { FieldError } from "../../schemas/errors";
import { isIsoDate } from "../calendar/civil-date";
import type { OutcomeField, Values } from "./types";
import { checkText } from "../text";

/** A text value of an outcome's validated fields (absent when not filled in). */
export const textValue = (v: Values, name: string): string | undefined => (typeof v[name] === "string" ? (v[name] as string) : undefined);

/**
 * Whether a text field is typed on several lines (a textarea: longer than 200 characters
 * or unbounded; shorter ones are one-line inputs). Only those may hold line breaks and tabs.
 */
export function outcomeFieldIsMultiline(f: Pick<OutcomeField, "type" | "maxLength">): boolean {
  return f.type === "text" && (f.maxLength === undefined || f.maxLength > 200);
}

/**
 * Checks what a person sent with an outcome against its fields. Accepts both JSON
 * (numbers, arrays) and HTML forms (everything a string; a list is one line per item).
 * Text and list items must be clean text (shared/domain/text.ts: no control characters,
 * bidi overrides, lone surrogates or U+FFFD; line breaks only in multi-line text fields):
 * code `invalid_character`, before any other check of the field.
 */
export function validateOutcomeFields(fields: OutcomeField[], input: Record<string, unknown>): { values: Values; errors: FieldError[] } {
  const values: Values = {};
  const errors: FieldError[] = [];
  const present = (raw: unknown) =>
    !(raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "") || (Array.isArray(raw) && raw.length === 0));
  const requiredNow = (f: OutcomeField) => {
    if (f.required) return true;
    if (!f.requiredWhen) return false;
    const other = input[f.requiredWhen.field];
    return typeof other === "string" && f.requiredWhen.values.includes(other.trim());
  };
  for (const f of fields) {
    const raw = input[f.name];
    if (!present(raw)) {
      if (requiredNow(f)) errors.push({ path: f.name, code: "required", message: f.type === "choice" ? `请选择${f.label}` : `请填写${f.label}` });
      continue;
    }
    const error = (code: string, message: string) => errors.push({ path: f.name, code, message });
    switch (f.type) {
      case "list": {
        const items = (Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/\r?\n/) : [raw]).map((x) => (typeof x === "string" ? x.trim() : x));
        if (items.some((x) => typeof x !== "string")) {
          error("wrong_type", `${f.label}应为文本列表`);
          break;
        }
        const list = (items as string[]).filter((x) => x !== "");
        const dirty = list.map((x) => checkText(f.label, x)).find((p) => p !== undefined);
        if (dirty) error(dirty.code, dirty.message);
        else if (list.length === 0 && f.required) error("required", `请填写${f.label}`);
        else if (f.maxItems !== undefined && list.length > f.maxItems) error("too_many", `${f.label}不能超过 ${f.maxItems} 项`);
        else if (f.maxLength !== undefined && list.some((x) => x.length > f.maxLength!)) error("too_long", `${f.label}每项不能超过 ${f.maxLength} 个字`);
        else values[f.name] = list;
        break;
      }
      case "integer": {
        const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
        if (!Number.isInteger(n)) error("wrong_type", `${f.label}应为整数`);
        else if (f.min !== undefined && n < f.min) error("out_of_range", `${f.label}不能小于 ${f.min}`);
        else if (f.max !== undefined && n > f.max) error("out_of_range", `${f.label}不能大于 ${f.max}`);
        else values[f.name] = n;
        break;
      }
      default: {
        if (typeof raw !== "string") {
          error("wrong_type", `${f.label}应为文本`);
          break;
        }
        const value = raw.trim();
        const dirty = checkText(f.label, value, { multiline: outcomeFieldIsMultiline(f) });
        if (dirty) error(dirty.code, dirty.message);
        else if (f.type === "date" && !isIsoDate(value)) error("invalid_format", `${f.label}应为 YYYY-MM-DD 格式的日期`);
        else if (f.type === "choice" && !f.choices?.some((c) => c.value === value)) error("invalid_choice", `${f.label}的选项无效`);
        else if (f.maxLength !== undefined && value.length > f.maxLength) error("too_long", `${f.label}不能超过 ${f.maxLength} 个字`);
        else values[f.name] = value;
      }
    }
  }
  return { values, errors };
}
