import { html, type Html } from "../html";
import { renderPortalPage } from "../layout";
import { errorSummary, fieldContext, textArea, textInput } from "../form";
import type { AgencyRecord } from "../../domain/records";
import type { FieldError } from "../../app/errors";
import type { PublicConsultation } from "../../app/consultations/public";
import { commentLimits } from "../../app/consultations/public";
import { explanationPartLabels, explanationParts } from "../../domain/workflows/consultation/data";
import { formatChineseDate } from "../../domain/letters/common";

/**
 * The public pages of draft consultations (SPEC §7.3, seed 草案公开征求意见的规定): the list of
 * open and closed consultations with their results, and one consultation with its draft,
 * drafting explanation, period and comment form (a plain HTML form: no JavaScript needed),
 * and — once published — how each comment was handled (第十一条). Names and contact details
 * are never shown; personal data in a comment is blacked out.
 */

export const consultationsHref = "/consultations";

const paragraphs = (text: string) => text.split(/\r?\n/).filter((p) => p.trim()).map((p) => html`<p>${p}</p>`);

const periodLine = (c: PublicConsultation) =>
  html`征求意见时间：<time datetime="${c.opensOn}">${formatChineseDate(c.opensOn)}</time> 至 <time datetime="${c.closesOn}">${formatChineseDate(c.closesOn)}</time>24时（${c.workingDays} 个工作日）`;

function listItem(c: PublicConsultation): Html {
  const s = c.summary;
  return html`<li><a href="/consultations/${c.caseId}">${c.title}（征求意见稿）</a>
<div class="meta"><span>${periodLine(c)}</span><span>状态：${c.status === "open" ? "正在征求意见" : "已结束"}</span>${
    s ? html`<span>收到意见 ${c.commentCount} 条，采纳 ${s.adopted} 条、部分采纳 ${s.partlyAdopted} 条、不予采纳 ${s.notAdopted} 条</span>` : c.status === "closed" ? html`<span>收到意见 ${c.commentCount} 条，采纳情况整理中</span>` : ""
  }</div></li>`;
}

export function renderConsultationList(o: { agency?: AgencyRecord; open: PublicConsultation[]; closed: PublicConsultation[] }): string {
  const main = html`<h1>行政规范性文件草案公开征求意见</h1>
<p>依据《关于行政规范性文件草案公开征求意见的规定》，行政规范性文件草案在发布前公开征求社会公众意见，时间一般不少于7个工作日。</p>
<section aria-labelledby="c-open"><h2 id="c-open">正在征求意见（${o.open.length}）</h2>${
    o.open.length ? html`<ul class="results">${o.open.map(listItem)}</ul>` : html`<p>目前没有正在征求意见的草案。</p>`
  }</section>
<section aria-labelledby="c-closed"><h2 id="c-closed">已结束的征求意见及采纳情况（${o.closed.length}）</h2>${
    o.closed.length ? html`<ul class="results">${o.closed.map(listItem)}</ul>` : html`<p>暂无。</p>`
  }</section>`;
  return renderPortalPage({ title: "草案公开征求意见", main, current: "consultations", ...(o.agency ? { agency: o.agency } : {}) });
}

export interface ConsultationPageInput {
  agency?: AgencyRecord;
  consultation: PublicConsultation;
  values?: Record<string, string>;
  errors?: FieldError[];
  /** the comment just received (post/redirect/get) */
  received?: { commentId: string; held: boolean };
  /** why the form refused the comment (closed, too many) */
  refusal?: string;
}

function commentForm(o: ConsultationPageInput): Html {
  const c = o.consultation;
  const ctx = fieldContext(o.values ?? {}, o.errors ?? []);
  return html`<section aria-labelledby="c-form"><h2 id="c-form">提出意见</h2>
<p class="hint">意见请在 ${formatChineseDate(c.closesOn)}24时（北京时间）前提交。姓名和联系方式可以不填；填写电子邮箱的，意见不予采纳时将通过邮件反馈理由。姓名、联系方式不会公开；意见中的身份证号码、电话号码等个人信息不会公开显示。</p>
${errorSummary(o.errors ?? [])}
<form method="post" action="/consultations/${c.caseId}/comments" accept-charset="utf-8" novalidate>
${textArea(ctx, { name: "text", label: "意见内容", required: true, maxLength: commentLimits.text, rows: 8, hint: `不超过 ${commentLimits.text} 字` })}
${textInput(ctx, { name: "name", label: "姓名（选填）", autocomplete: "name", maxLength: commentLimits.name })}
${textInput(ctx, { name: "contact", label: "联系方式（选填，电子邮箱或电话）", autocomplete: "email", maxLength: commentLimits.contact })}
<button type="submit">提交意见</button>
</form></section>`;
}

function summarySection(c: PublicConsultation): Html | "" {
  const s = c.summary;
  if (!s) return c.status === "closed" ? html`<section aria-labelledby="c-summary"><h2 id="c-summary">意见采纳情况</h2><p>本次征求意见已结束，共收到意见 ${c.commentCount} 条，采纳情况正在整理，整理后在此公开。</p></section>` : "";
  return html`<section aria-labelledby="c-summary"><h2 id="c-summary">意见采纳情况</h2>
<p>本次征求意见共收到意见 ${c.commentCount} 条，采纳 ${s.adopted} 条、部分采纳 ${s.partlyAdopted} 条、不予采纳 ${s.notAdopted} 条（${formatChineseDate(s.publishedOn)}公开）。</p>
${
  s.comments.length
    ? html`<table class="cards"><caption class="vh">意见及处理情况</caption><thead><tr><th scope="col">编号</th><th scope="col">意见</th><th scope="col">处理结果</th><th scope="col">理由</th></tr></thead>
<tbody>${s.comments.map((x) => html`<tr><td data-label="编号">${x.commentId}</td><td data-label="意见">${x.text}</td><td data-label="处理结果">${x.decisionLabel}</td><td data-label="理由">${x.reason ?? "—"}</td></tr>`)}</tbody></table>`
    : ""
}</section>`;
}

export function renderConsultationPage(o: ConsultationPageInput): string {
  const c = o.consultation;
  const notice = o.received
    ? html`<div class="note" role="status"><p><strong>您的意见已收到，编号 ${o.received.commentId}。</strong>${
        o.received.held ? "意见中含有身份证号码、电话号码等个人信息，公开时将隐去这些信息。" : ""
      }感谢您的参与。</p></div>`
    : "";
  const refusal = o.refusal ? html`<div class="error-summary" role="alert"><p>${o.refusal}</p></div>` : "";
  const main = html`<nav class="crumbs" aria-label="当前位置"><ol><li><a href="/">首页</a></li><li><a href="${consultationsHref}">草案公开征求意见</a></li></ol></nav>
<h1>${c.title}（征求意见稿）</h1>
${notice}${refusal}
<table class="meta"><caption class="vh">征求意见信息</caption><tbody>
<tr><th scope="row">征求意见时间</th><td>${periodLine(c)}</td></tr>
<tr><th scope="row">状态</th><td>${c.status === "open" ? "正在征求意见" : "已结束"}</td></tr>
<tr><th scope="row">已收到意见</th><td>${c.commentCount} 条</td></tr>
<tr><th scope="row">公开网址</th><td>${c.url}</td></tr>
</tbody></table>
<section aria-labelledby="c-draft"><h2 id="c-draft">草案全文</h2><div class="article">${paragraphs(c.draft)}</div></section>
<section aria-labelledby="c-explanation"><h2 id="c-explanation">起草说明</h2>${explanationParts.map(
    (p, i) => html`<h3>${"一二三四"[i]}、${explanationPartLabels[p]}</h3>${paragraphs(c.explanation[p])}`,
  )}</section>
${c.status === "open" ? commentForm(o) : html`<p><strong>本次征求意见已于 ${formatChineseDate(c.closesOn)}24时截止，不再接收意见。</strong></p>`}
${summarySection(c)}
<p class="no-print"><a href="${consultationsHref}">返回征求意见列表</a></p>`;
  return renderPortalPage({ title: `${c.title}（征求意见稿）`, main, current: "consultations", hasErrors: Boolean(o.errors?.length), ...(o.agency ? { agency: o.agency } : {}) });
}

export function renderConsultationNotFound(): string {
  const main = html`<h1>未找到该征求意见</h1><p>您访问的征求意见不存在或尚未发布。</p><p><a href="${consultationsHref}">返回征求意见列表</a></p>`;
  return renderPortalPage({ title: "未找到该征求意见", main });
}
