import type { OutcomeDefinition } from "../domain/workflows";
import type { FieldError } from "./errors";
import { isIsoDate } from "../domain/calendar/civil-date";

/** Checks the fields a staff member sent with an outcome against its definition. */
export function validateOutcomeFields(
  definition: OutcomeDefinition,
  input: Record<string, unknown>,
): { values: Record<string, string>; errors: FieldError[] } {
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const field of definition.fields) {
    const raw = input[field.name];
    if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) {
      if (field.required) errors.push({ path: field.name, code: "required", message: `请填写${field.label}` });
      continue;
    }
    if (typeof raw !== "string") {
      errors.push({ path: field.name, code: "wrong_type", message: `${field.label}应为文本` });
      continue;
    }
    const value = raw.trim();
    if (field.type === "date" && !isIsoDate(value)) {
      errors.push({ path: field.name, code: "invalid_format", message: `${field.label}应为 YYYY-MM-DD 格式的日期` });
      continue;
    }
    if (field.type === "choice" && !field.choices?.some((c) => c.value === value)) {
      errors.push({ path: field.name, code: "invalid_choice", message: `${field.label}的取值无效` });
      continue;
    }
    if (field.maxLength !== undefined && value.length > field.maxLength) {
      errors.push({ path: field.name, code: "too_long", message: `${field.label}不能超过${field.maxLength}个字` });
      continue;
    }
    values[field.name] = value;
  }
  return { values, errors };
}
