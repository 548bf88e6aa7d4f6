/**
 * Accessible form pieces: labels tied to inputs, hints and errors referenced by
 * aria-describedby, an error summary linking to each field, values kept after an error.
 */
import type { FieldError } from "../schemas/errors";
import type { Html } from "./html";
import { html } from "./html";

export interface FieldContext {
  values: Record<string, string>;
  errors: Map<string, FieldError>;
  /** prefix of element ids, so several forms on one page keep ids unique */
  idPrefix: string;
}

export function fieldContext(values: Record<string, string> = {}, errors: FieldError[] = [], idPrefix = "f-"): FieldContext {
  const map = new Map<string, FieldError>();
  for (const e of errors) if (!map.has(e.path)) map.set(e.path, e);
  return { values, errors: map, idPrefix };
}

/** Id of the control a field's error links to (the first radio for a choice). */
export function fieldId(name: string, idPrefix = "f-"): string {
  return `${idPrefix}${name}`;
}

const requiredMark = html` <span class="req" aria-hidden="true">*</span><span class="vh">（必填）</span>`;
const conditionalMark = html` <span class="req" aria-hidden="true">*</span><span class="vh">（本组必填）</span>`;

/** Lists every error at the top, each a link to its field. Errors without a field (path "") are listed as text. */
export function errorSummary(errors: FieldError[], title = "请修改以下内容后重新提交", idPrefix = "f-"): Html | "" {
  if (errors.length === 0) return "";
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${title}</h2>
<ul>${errors.map((e) => (e.path === "" ? html`<li>${e.message}</li>` : html`<li><a href="#${fieldId(e.path, idPrefix)}">${e.message}</a></li>`))}</ul>
</div>`;
}

interface Common {
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  /** required only when its group applies (e.g. person vs organisation): starred, but not aria-required */
  conditional?: boolean;
}

/** The star after a label: plain required, or required within its group. */
function mark(c: Common): Html | "" {
  if (!c.required) return "";
  return c.conditional ? conditionalMark : requiredMark;
}

function ariaRequired(c: Common): Html | "" {
  return c.required && !c.conditional ? html` aria-required="true"` : "";
}

function describedBy(ctx: FieldContext, c: Common): string | undefined {
  const ids = [c.hint ? `${fieldId(c.name, ctx.idPrefix)}-hint` : "", ctx.errors.has(c.name) ? `${fieldId(c.name, ctx.idPrefix)}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function hintAndError(ctx: FieldContext, c: Common): Html {
  const error = ctx.errors.get(c.name);
  return html`${c.hint ? html`<p class="hint" id="${fieldId(c.name, ctx.idPrefix)}-hint">${c.hint}</p>` : ""}${
    error ? html`<p class="field-error" id="${fieldId(c.name, ctx.idPrefix)}-error"><span class="vh">错误：</span>${error.message}</p>` : ""
  }`;
}

function fieldClass(ctx: FieldContext, name: string): string {
  return ctx.errors.has(name) ? "field has-error" : "field";
}

export function textInput(
  ctx: FieldContext,
  c: Common & { type?: "text" | "email" | "tel" | "password" | "date"; autocomplete?: string; maxLength?: number; inputMode?: string },
): Html {
  const id = fieldId(c.name, ctx.idPrefix);
  const describe = describedBy(ctx, c);
  const value = c.type === "password" ? "" : (ctx.values[c.name] ?? "");
  return html`<div class="${fieldClass(ctx, c.name)}">
<label for="${id}">${c.label}${mark(c)}</label>
${hintAndError(ctx, c)}<input type="${c.type ?? "text"}" id="${id}" name="${c.name}" value="${value}"${
    c.autocomplete ? html` autocomplete="${c.autocomplete}"` : ""
  }${c.maxLength ? html` maxlength="${c.maxLength}"` : ""}${c.inputMode ? html` inputmode="${c.inputMode}"` : ""}${ariaRequired(c)}${ctx.errors.has(c.name) ? html` aria-invalid="true"` : ""}${describe ? html` aria-describedby="${describe}"` : ""}>
</div>`;
}

export function textArea(ctx: FieldContext, c: Common & { maxLength?: number; rows?: number }): Html {
  const id = fieldId(c.name, ctx.idPrefix);
  const describe = describedBy(ctx, c);
  return html`<div class="${fieldClass(ctx, c.name)}">
<label for="${id}">${c.label}${mark(c)}</label>
${hintAndError(ctx, c)}<textarea id="${id}" name="${c.name}" rows="${c.rows ?? 6}"${c.maxLength ? html` maxlength="${c.maxLength}"` : ""}${ariaRequired(c)}${ctx.errors.has(c.name) ? html` aria-invalid="true"` : ""}${describe ? html` aria-describedby="${describe}"` : ""}>${
    ctx.values[c.name] ?? ""
  }</textarea>
</div>`;
}

export function selectInput(ctx: FieldContext, c: Common & { options: Array<{ value: string; label: string }>; placeholder?: string }): Html {
  const id = fieldId(c.name, ctx.idPrefix);
  const current = ctx.values[c.name] ?? "";
  const describe = describedBy(ctx, c);
  return html`<div class="${fieldClass(ctx, c.name)}">
<label for="${id}">${c.label}${mark(c)}</label>
${hintAndError(ctx, c)}<select id="${id}" name="${c.name}"${ariaRequired(c)}${
    ctx.errors.has(c.name) ? html` aria-invalid="true"` : ""
  }${describe ? html` aria-describedby="${describe}"` : ""}>
<option value="">${c.placeholder ?? "请选择"}</option>
${c.options.map((o) => html`<option value="${o.value}"${o.value === current ? html` selected` : ""}>${o.label}</option>`)}
</select>
</div>`;
}

/** Radio buttons in a fieldset; the first radio carries the field's id so error links land on it. */
export function radioGroup(ctx: FieldContext, c: Common & { options: Array<{ value: string; label: string }> }): Html {
  const current = ctx.values[c.name] ?? "";
  const describe = describedBy(ctx, c);
  return html`<div class="${fieldClass(ctx, c.name)}">
<fieldset class="choices"${describe ? html` aria-describedby="${describe}"` : ""}>
<legend class="label">${c.label}${mark(c)}</legend>
${hintAndError(ctx, c)}${c.options.map(
    (o, i) =>
      html`<label><input type="radio" name="${c.name}" value="${o.value}" id="${i === 0 ? fieldId(c.name, ctx.idPrefix) : `${fieldId(c.name, ctx.idPrefix)}-${o.value}`}"${
        o.value === current ? html` checked` : ""
      }>${o.label}</label>`,
  )}
</fieldset>
</div>`;
}

export function hiddenInput(name: string, value: string | undefined): Html | "" {
  return value === undefined ? "" : html`<input type="hidden" name="${name}" value="${value}">`;
}

/** Whether a posted checkbox value means "ticked". */
export function isTicked(value: string | undefined): boolean {
  return value === "yes" || value === "on" || value === "true";
}

/**
 * One checkbox with its statement as the label (a declaration, a consent). The error sits
 * above the box, so it is read before the statement; the box posts `value` (default "yes").
 */
export function checkbox(ctx: FieldContext, c: Common & { value?: string }): Html {
  const id = fieldId(c.name, ctx.idPrefix);
  const describe = describedBy(ctx, c);
  return html`<div class="${fieldClass(ctx, c.name)} check">
${hintAndError(ctx, c)}<div class="check-row"><input type="checkbox" id="${id}" name="${c.name}" value="${c.value ?? "yes"}"${
    isTicked(ctx.values[c.name]) ? html` checked` : ""
  }${ariaRequired(c)}${ctx.errors.has(c.name) ? html` aria-invalid="true"` : ""}${describe ? html` aria-describedby="${describe}"` : ""}>
<label for="${id}">${c.label}${mark(c)}</label></div>
</div>`;
}

/**
 * A file input. Browsers never keep a chosen file after the page reloads, so after an
 * error the caller should say the files must be chosen again.
 */
export function fileInput(ctx: FieldContext, c: Common & { accept?: string }): Html {
  const id = fieldId(c.name, ctx.idPrefix);
  const describe = describedBy(ctx, c);
  return html`<div class="${fieldClass(ctx, c.name)}">
<label for="${id}">${c.label}${mark(c)}</label>
${hintAndError(ctx, c)}<input type="file" id="${id}" name="${c.name}"${c.accept ? html` accept="${c.accept}"` : ""}${ariaRequired(c)}${
    ctx.errors.has(c.name) ? html` aria-invalid="true"` : ""
  }${describe ? html` aria-describedby="${describe}"` : ""}>
</div>`;
}
