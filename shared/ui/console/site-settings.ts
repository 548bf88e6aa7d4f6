/**
 * The office's settings pages (zh-CN, no JavaScript): the agency's public site profile
 * (the footer a government site must carry, and the 政府信息公开指南 as sections) and
 * the content screening word lists. Plain forms: a guide section is added by filling in
 * the empty row at the end and removed with its 删除本节 box; a refused form comes back
 * with what was typed and every error linked to its field.
 *
 * Field names are the input's paths (`guide.0.heading`, `wordLists.rumour`), so the
 * use case's field errors land on the fields as they are.
 */
import type { SiteProfileInput, ScreeningSettingsInput } from "../../app/settings/agency-settings";
import { SCREENING_LIMITS, SITE_LIMITS, siteFieldLabels, siteFields, type SiteField } from "../../app/settings/agency-settings";
import type { AgencySite } from "../../domain/records";
import { defaultScreeningSettings, prohibitedCategories, type ScreeningSettings } from "../../domain/screening/types";
import type { FieldError } from "../../schemas/errors";
import { checkbox, fieldContext, hiddenInput, isTicked, textArea, textInput, type FieldContext } from "../form";
import type { Html } from "../html";
import { html } from "../html";
import type { ConsoleUser } from "./layout";
import { renderConsolePage } from "./layout";
import { civilDate, errorSummaryFor } from "./parts";

export const SITE_SETTINGS_PATH = "/console/settings/site";
export const SCREENING_SETTINGS_PATH = "/console/settings/screening";

const ROW = /^guide\.(\d+)\.(heading|body|remove)$/;

// ---- form values <-> input -------------------------------------------------------------

/** The number of guide rows a form holds (highest row index + 1), at most one more than the schema accepts. */
function guideRowCount(values: Record<string, string>): number {
  let count = 0;
  for (const key of Object.keys(values)) {
    const m = ROW.exec(key);
    if (m) count = Math.max(count, Math.min(Number(m[1]), SITE_LIMITS.rows) + 1);
  }
  return count;
}

/** The posted site form as the use case's input: every row in form order, so errors name the row typed in. */
export function siteInputFromForm(form: Record<string, string>): SiteProfileInput {
  const input: SiteProfileInput = {};
  for (const key of siteFields) input[key] = form[key] ?? "";
  input.guide = Array.from({ length: guideRowCount(form) }, (_, i) => ({
    heading: form[`guide.${i}.heading`] ?? "",
    body: form[`guide.${i}.body`] ?? "",
    remove: isTicked(form[`guide.${i}.remove`]),
  }));
  return input;
}

/** The stored profile as form values. */
export function siteFormValues(site: AgencySite | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of siteFields) values[key] = site?.[key] ?? "";
  (site?.guide?.sections ?? []).forEach((s, i) => {
    values[`guide.${i}.heading`] = s.heading;
    values[`guide.${i}.body`] = s.body;
  });
  return values;
}

/** The posted screening form as the use case's input (an unticked box posts nothing: false). */
export function screeningInputFromForm(form: Record<string, string>): ScreeningSettingsInput {
  return {
    wordLists: Object.fromEntries(prohibitedCategories.map((c) => [c.code, form[`wordLists.${c.code}`] ?? ""])),
    flagIndividualCreditCodes: isTicked(form.flagIndividualCreditCodes),
  };
}

/** The stored settings as form values: one word a line. */
export function screeningFormValues(settings: ScreeningSettings | undefined): Record<string, string> {
  const s = settings ?? defaultScreeningSettings;
  const values: Record<string, string> = Object.fromEntries(prohibitedCategories.map((c) => [`wordLists.${c.code}`, (s.wordLists[c.code] ?? []).join("\n")]));
  if (s.flagIndividualCreditCodes) values.flagIndividualCreditCodes = "yes";
  return values;
}

// ---- pages -----------------------------------------------------------------------------

interface SettingsPageCommon {
  user: ConsoleUser;
  csrfToken: string;
  agencyName: string;
  /** raw form strings after a refused post (what was typed is kept) */
  values?: Record<string, string>;
  errors?: FieldError[];
  /** after a successful save (post/redirect/get) */
  saved?: boolean;
  action?: string;
}

export interface SiteSettingsPageInput extends SettingsPageCommon {
  site?: AgencySite;
}

export interface ScreeningSettingsPageInput extends SettingsPageCommon {
  screening?: ScreeningSettings;
}

function settingsNav(current: "site" | "screening"): Html {
  const link = (href: string, label: string, here: boolean) => (here ? html`<a href="${href}" aria-current="page"><strong>${label}</strong></a>` : html`<a href="${href}">${label}</a>`);
  return html`<nav aria-label="本机关设置"><p class="actions-index">${link(SITE_SETTINGS_PATH, "网站信息与公开指南", current === "site")} · ${link(SCREENING_SETTINGS_PATH, "内容检查词表", current === "screening")}</p></nav>`;
}

const savedNotice = (saved: boolean | undefined, what: string): Html | "" => (saved ? html`<div class="notice" role="status"><p>已保存${what}。</p></div>` : "");

const siteHints: Partial<Record<SiteField, string>> = {
  organiser: "显示在每个公开页面的页脚。留空时显示本机关名称。",
  postalCode: "6 位数字。",
  phone: "只填数字、连字符“-”、空格和括号，例如 0576-84111111。",
  fax: "只填数字、连字符“-”、空格和括号。",
  email: "例如 hyxzfw@example.gov.cn。",
  hours: "例如 工作日 上午8:30—12:00 下午14:30—17:30。",
  siteCode: "政府网站标识码，见全国政府网站基本数据库。",
  icp: "例如 浙ICP备05001234号。",
  psb: "例如 浙公网安备 33100302000123号。",
};

const siteInputType: Partial<Record<SiteField, "email" | "tel">> = { phone: "tel", fax: "tel", email: "email" };

function guideRow(ctx: FieldContext, i: number, isNew: boolean): Html {
  const n = i + 1;
  return html`<fieldset class="guide-section">
<legend>${isNew ? `新增一节（第 ${n} 节，不需要时留空）` : `第 ${n} 节`}</legend>
${textInput(ctx, { name: `guide.${i}.heading`, label: `第 ${n} 节标题`, maxLength: SITE_LIMITS.field })}
${textArea(ctx, { name: `guide.${i}.body`, label: `第 ${n} 节正文`, rows: 8, maxLength: SITE_LIMITS.body, hint: `纯文本，空行分段，不超过 ${SITE_LIMITS.body} 字。` })}
${isNew ? "" : checkbox(ctx, { name: `guide.${i}.remove`, label: `删除第 ${n} 节（保存后生效）` })}
</fieldset>`;
}

/** The office's page for the agency's public site profile and its 政府信息公开指南. */
export function renderSiteSettingsPage(o: SiteSettingsPageInput): string {
  const errors = o.errors ?? [];
  const values = o.values ?? siteFormValues(o.site);
  // every row typed or stored, then one empty row to add a section (while there is room)
  const count = guideRowCount(values);
  const isEmpty = (i: number) => !values[`guide.${i}.heading`]?.trim() && !values[`guide.${i}.body`]?.trim();
  const rows = Math.min(count > 0 && isEmpty(count - 1) ? count : count + 1, SITE_LIMITS.rows);
  const rowNames = Array.from({ length: rows }, (_, i) => [`guide.${i}.heading`, `guide.${i}.body`, `guide.${i}.remove`]).flat();
  const ctx = fieldContext(values, errors);
  const guide = o.site?.guide;
  const main = html`<h1>网站信息与公开指南</h1>
${settingsNav("site")}
${savedNotice(o.saved, "网站信息与公开指南")}
${errorSummaryFor(errors, { idPrefix: "f-", fields: [...siteFields, "guide", ...rowNames], title: "内容有误，未保存。请修改以下内容后重新提交" })}
<p>${o.agencyName}的门户网站每个页面的页脚和《政府信息公开指南》显示这里的内容（《中华人民共和国政府信息公开条例》第十二条）。留空的项目不显示。</p>
<form method="post" action="${o.action ?? SITE_SETTINGS_PATH}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
<fieldset>
<legend>页脚与联系方式</legend>
${siteFields.map((key) =>
  textInput(ctx, {
    name: key,
    label: siteFieldLabels[key],
    maxLength: SITE_LIMITS.field,
    ...(siteInputType[key] ? { type: siteInputType[key] } : {}),
    ...(siteHints[key] ? { hint: siteHints[key] } : {}),
    ...(key === "email" ? { autocomplete: "off" } : {}),
  }),
)}
</fieldset>
<fieldset id="f-guide"${ctx.errors.has("guide") ? html` class="has-error"` : ""}>
<legend>政府信息公开指南</legend>
<p class="group-note">按顺序列出各节，最多 ${SITE_LIMITS.sections} 节。${guide ? html`指南更新日期：${civilDate(guide.updatedOn)}（修改章节后保存即更新为当天）。` : "尚未填写指南。"}</p>
${ctx.errors.has("guide") ? html`<p class="field-error"><span class="vh">错误：</span>${ctx.errors.get("guide")!.message}</p>` : ""}
${Array.from({ length: rows }, (_, i) => guideRow(ctx, i, i === rows - 1 && isEmpty(i)))}
</fieldset>
<p><button type="submit">保存</button></p>
</form>`;
  return renderConsolePage({ title: "网站信息与公开指南", main, user: o.user, current: "site-settings", csrfToken: o.csrfToken, hasErrors: errors.length > 0 });
}

/** The office's page for the screening word lists, one textarea per prohibited category. */
export function renderScreeningSettingsPage(o: ScreeningSettingsPageInput): string {
  const errors = o.errors ?? [];
  const values = o.values ?? screeningFormValues(o.screening);
  const ctx = fieldContext(values, errors);
  const names = [...prohibitedCategories.map((c) => `wordLists.${c.code}`), "flagIndividualCreditCodes"];
  const wordCount = (code: string) => (values[`wordLists.${code}`] ?? "").split(/\r\n|\r|\n/).filter((w) => w.trim()).length;
  const main = html`<h1>内容检查词表</h1>
${settingsNav("screening")}
${savedNotice(o.saved, "内容检查设置")}
${errorSummaryFor(errors, { idPrefix: "f-", fields: names, title: "内容有误，未保存。请修改以下内容后重新提交" })}
<p>信息报送审核和发布前，系统按这里的词表检查${o.agencyName}拟公开的标题、正文和附件，并把找到的文字标示给每位审核人（政务信息公开发布及审核制度第七条）。身份证号码、手机号码、银行卡号等个人信息和密级标志总是检查，无需列入词表。</p>
<form method="post" action="${o.action ?? SCREENING_SETTINGS_PATH}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
<fieldset>
<legend>禁止发布的内容（按类别）</legend>
<p class="group-note">每行一个词，重复的词和空行不保存。每类最多 ${SCREENING_LIMITS.words} 个词，每个词不超过 ${SCREENING_LIMITS.word} 个字。</p>
${prohibitedCategories.map((c, i) => {
  const n = wordCount(c.code);
  return textArea(ctx, { name: `wordLists.${c.code}`, label: `${i + 1}. ${c.label}`, rows: 5, hint: n ? `现有 ${n} 行。` : "尚无词语。" });
})}
</fieldset>
<fieldset>
<legend>其他检查</legend>
${checkbox(ctx, {
  name: "flagIndividualCreditCodes",
  label: "标示个体工商户的统一社会信用代码（以 92 开头，可能对应经营者个人）",
  hint: "个体工商户的统一社会信用代码可能指向自然人，公开前应核实是否涉及个人信息。",
})}
</fieldset>
<p><button type="submit">保存</button></p>
</form>`;
  return renderConsolePage({ title: "内容检查词表", main, user: o.user, current: "screening-settings", csrfToken: o.csrfToken, hasErrors: errors.length > 0 });
}
