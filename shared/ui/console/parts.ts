/**
 * Console-local building blocks: Beijing time, working-day counts and marks, the
 * outcome fields of a workflow definition as form controls, and an error summary
 * that links only to fields the form really has.
 */
import { outcomeFieldIsMultiline } from "../../domain/workflows/fields";
import { workflows, type AnyStep, type AnyWorkflow, type OutcomeField } from "../../domain/workflows";
import type { FieldError } from "../../schemas/errors";
import { fieldId, selectInput, textArea, textInput, type FieldContext } from "../form";
import type { Html } from "../html";
import { formatShanghaiTime, html } from "../html";

// ---- definitions ----------------------------------------------------------------

/** A workflow's definition by name; names that are not its own (e.g. "constructor") find nothing. */
export function workflowOf(workflow: string): AnyWorkflow | undefined {
  return Object.hasOwn(workflows, workflow) ? workflows[workflow] : undefined;
}

export function stepOf(workflow: string, step: string): AnyStep | undefined {
  const definition = workflowOf(workflow);
  return definition && Object.hasOwn(definition.steps, step) ? definition.steps[step] : undefined;
}

// ---- time --------------------------------------------------------------------

/** An instant as Beijing time (`2026-11-27 09:00`) in a <time> element whose datetime carries the +08:00 offset. */
export function beijingTime(iso: string): Html {
  const shown = formatShanghaiTime(iso);
  const machine = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(shown) ? `${shown.replace(" ", "T")}+08:00` : "";
  return machine ? html`<time datetime="${machine}">${shown}</time>` : html`<span>${shown}</span>`;
}

/** A civil date (already a Beijing calendar day). */
export function civilDate(date: string | null | undefined): Html | "" {
  if (!date) return "";
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? html`<time datetime="${date}">${date}</time>` : html`${date}`;
}

// ---- working days and marks ----------------------------------------------------

/** 还剩 N 个工作日 / 今天到期 / 已逾期 N 个工作日 (null: not running). */
export function daysLeftText(left: number | null | undefined, overdue = false): string {
  if (left === null || left === undefined) return "";
  if (overdue || left < 0) return left < 0 ? `已逾期 ${-left} 个工作日` : "已逾期";
  if (left === 0) return "今天到期";
  return `还剩 ${left} 个工作日`;
}

export function daysLeft(left: number | null | undefined, overdue = false, atRisk = false): Html | "" {
  const text = daysLeftText(left, overdue);
  if (!text) return "";
  const cls = overdue || (left ?? 0) < 0 ? "days overdue" : atRisk || left === 0 ? "days at-risk" : "days";
  return html`<span class="${cls}">${text}</span>`;
}

export const overdueTag = html`<span class="tag overdue">已逾期</span>`;
export const atRiskTag = html`<span class="tag at-risk">即将到期</span>`;
export const provisionalTag = html`<span class="tag provisional" title="所依据的节假日安排尚未公布，日期可能变动">暂定</span>`;
export const pausedTag = html`<span class="tag paused">暂停计算</span>`;
export const superviseTag = html`<span class="tag supervise" title="此待办已逾期，提请您督办">督办</span>`;

// ---- outcome fields ------------------------------------------------------------

/** `（答复类型选择“部分公开（区分处理）”时必填）` for a field required only with some choices of another. */
export function requiredWhenText(field: OutcomeField, siblings: OutcomeField[]): string {
  if (!field.requiredWhen || field.required) return "";
  const other = siblings.find((s) => s.name === field.requiredWhen!.field);
  const labels = field.requiredWhen.values.map((v) => `“${other?.choices?.find((c) => c.value === v)?.label ?? v}”`);
  const choices = labels.length > 1 ? `${labels.slice(0, -1).join("")}或${labels[labels.length - 1]}` : (labels[0] ?? "");
  return `（${other?.label ?? ""}选择${choices}时必填）`;
}

function typeHint(f: OutcomeField): string {
  switch (f.type) {
    case "list":
      return `每行填写一项${f.maxItems ? `，最多 ${f.maxItems} 项` : ""}${f.maxLength ? `，每项不超过 ${f.maxLength} 字` : ""}。`;
    case "integer":
      return f.min !== undefined && f.max !== undefined
        ? `填写 ${f.min} 至 ${f.max} 之间的整数。`
        : f.min !== undefined
          ? `填写不小于 ${f.min} 的整数。`
          : f.max !== undefined
            ? `填写不大于 ${f.max} 的整数。`
            : "填写整数。";
    case "date":
      return "格式：YYYY-MM-DD。";
    default:
      return "";
  }
}

/** An integer input with its bounds (form.ts has no number input); the same label, hint and error markup. */
export function numberInput(ctx: FieldContext, c: { name: string; label: string; hint?: string; required?: boolean; min?: number; max?: number }): Html {
  const id = fieldId(c.name, ctx.idPrefix);
  const error = ctx.errors.get(c.name);
  const describedBy = [c.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return html`<div class="${error ? "field has-error" : "field"}">
<label for="${id}">${c.label}${c.required ? html` <span class="req" aria-hidden="true">*</span><span class="vh">（必填）</span>` : ""}</label>
${c.hint ? html`<p class="hint" id="${id}-hint">${c.hint}</p>` : ""}${
    error ? html`<p class="field-error" id="${id}-error"><span class="vh">错误：</span>${error.message}</p>` : ""
  }<input type="number" id="${id}" name="${c.name}" value="${ctx.values[c.name] ?? ""}" step="1" inputmode="numeric"${c.min !== undefined ? html` min="${c.min}"` : ""}${
    c.max !== undefined ? html` max="${c.max}"` : ""
  }${c.required ? html` aria-required="true"` : ""}${error ? html` aria-invalid="true"` : ""}${describedBy ? html` aria-describedby="${describedBy}"` : ""}>
</div>`;
}

/** One field of an outcome, rendered from the workflow definition. */
export function outcomeFieldInput(ctx: FieldContext, f: OutcomeField, siblings: OutcomeField[], extraHint?: string): Html {
  const label = `${f.label}${requiredWhenText(f, siblings)}`;
  const hint = [extraHint, f.hint, typeHint(f)].filter(Boolean).join(" ") || undefined;
  const common = { name: f.name, label, required: f.required, ...(hint ? { hint } : {}) };
  switch (f.type) {
    case "choice":
      return selectInput(ctx, { ...common, options: f.choices ?? [] });
    case "date":
      return textInput(ctx, { ...common, type: "date" });
    case "integer":
      return numberInput(ctx, { ...common, ...(f.min !== undefined ? { min: f.min } : {}), ...(f.max !== undefined ? { max: f.max } : {}) });
    case "list":
      return textArea(ctx, { ...common, rows: 4 });
    default:
      // the same rule that lets line breaks through validation decides the input's kind
      return outcomeFieldIsMultiline(f)
        ? textArea(ctx, { ...common, rows: 4, ...(f.maxLength ? { maxLength: f.maxLength } : {}) })
        : textInput(ctx, { ...common, ...(f.maxLength ? { maxLength: f.maxLength } : {}) });
  }
}

// ---- errors ----------------------------------------------------------------------

/**
 * Every error at the top; those of a field the form has link to it (`#<prefix><name>`),
 * the others (a refused outcome, a stale page) are plain text.
 */
export function errorSummaryFor(errors: FieldError[], o: { title?: string; idPrefix: string; fields: readonly string[] }): Html | "" {
  if (errors.length === 0) return "";
  const known = new Set(o.fields);
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${o.title ?? "请修改以下内容后重新提交"}</h2>
<ul>${errors.map((e) => (e.path !== "" && known.has(e.path) ? html`<li><a href="#${fieldId(e.path, o.idPrefix)}">${e.message}</a></li>` : html`<li>${e.message}</li>`))}</ul>
</div>`;
}

/** Errors of fields the form does not show would otherwise vanish: keep those out of the per-field map. */
export function fieldErrorsOnly(errors: FieldError[], fields: readonly string[]): FieldError[] {
  const known = new Set(fields);
  return errors.filter((e) => e.path !== "" && known.has(e.path));
}

/** A definition list row, omitted when there is nothing to show. */
export function row(label: string, value: Html | string | number | null | undefined | ""): Html | "" {
  if (value === undefined || value === null || value === "") return "";
  return html`<dt>${label}</dt><dd>${value}</dd>`;
}
