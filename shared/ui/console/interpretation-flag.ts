import type { UninterpretedDocument } from "../../app/interpretations/flag";
import { html, type Html } from "../html";

/** The flag on the console's front page and in the weekly report: normative documents published without their interpretation. */
export function uninterpretedBanner(list: readonly UninterpretedDocument[] | undefined): Html | "" {
  if (!list?.length) return "";
  return html`<div class="note uninterpreted-warning" role="alert"><strong>政策解读提醒：</strong>${list.length} 件行政规范性文件已发布，但其政策解读尚未发布（“谁起草谁解读”，文件与解读应同步公开）：<ul>${list.map(
    (u) => html`<li><a href="/console/cases/${u.documentCaseId}">《${u.title}》（${u.documentNumber}）</a>，${u.publishedOn} 发布；解读 <a href="/console/cases/${u.interpretationCaseId}">${u.interpretationReference}</a></li>`,
  )}</ul></div>`;
}
