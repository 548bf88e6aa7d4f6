import { html, type Html } from "../html";
import { beijingTime, civilDate } from "./parts";
import type { WorkflowSections } from "./publishing";
import {
  commentCounts,
  consultationLetterText,
  consultationPath,
  dispositionLabels,
  explanationPartLabels,
  explanationParts,
  situationLabels,
  type ConsultationData,
} from "../../domain/workflows/consultation/data";
import type { InterpretationData } from "../../domain/workflows/interpretation/definition";
import { consultationWorkflow } from "../../domain/workflows/consultation/definition";

/**
 * The console's case page for the normative-document workflows: a consultation's draft,
 * explanation, period, letters to units and replies, records, every comment with its
 * disposition (names and contacts only to the roles that see personal data) and the
 * drafting explanation as submitted; an interpretation's document, texts and publication.
 */

type Envelope = { caseId: string; reference: string; agencyCode?: string };

const lines = (text: string) => text.split(/\r?\n/).filter((p) => p.trim()).map((p) => html`<p>${p}</p>`);

export function consultationSections(c: Envelope, d: ConsultationData, roles: readonly string[]): WorkflowSections {
  const personal = roles.some((r) => (consultationWorkflow.personalDataRoles as readonly string[]).includes(r));
  const n = commentCounts(d);
  const facts: WorkflowSections["facts"] = [
    { label: "草案标题", value: d.title },
    { label: "起草科室", value: `${d.drafter.section ?? "—"}（${d.drafter.displayName}）` },
    { label: "第七条情形", value: d.situations.length ? d.situations.map((s) => situationLabels[s]).join("；") : "无" },
    { label: "重大公共利益（第九条）", value: d.publicInterest ? "涉及" : "不涉及" },
    { label: "特定团体、行业利益（第十条）", value: d.sectorInterests ? "涉及" : "不涉及" },
    ...(d.exempt ? [{ label: "不公开征求意见（第四条）", value: d.exempt.reason }] : []),
    ...(d.period
      ? [
          { label: "征求意见期限", value: html`${civilDate(d.period.opensOn)} 发布，${d.period.workingDays} 个工作日，截至 ${civilDate(d.period.closesOn)}24时${d.period.closesIsProvisional ? "（暂定）" : ""}` },
          { label: "公开页面", value: html`<a href="${consultationPath(c.caseId)}">${consultationPath(c.caseId)}</a>` },
        ]
      : []),
    { label: "意见", value: `共 ${n.total} 条；采纳 ${n.adopted}、部分采纳 ${n.partlyAdopted}、不予采纳 ${n.notAdopted}、待处理 ${n.undisposed}${n.held ? `；含个人信息 ${n.held} 条（不公开显示）` : ""}` },
    { label: "意见采纳情况", value: d.summary ? `已于 ${civilDate(d.summary.on)} 公开` : "尚未公开" },
  ];
  const comments = html`<section aria-labelledby="c-comments"><h2 id="c-comments">征集的意见（${n.total}）</h2>${
    d.comments.length
      ? html`<table class="cards"><thead><tr><th scope="col">编号</th><th scope="col">收到时间</th><th scope="col">意见</th>${personal ? html`<th scope="col">提议人</th>` : ""}<th scope="col">处理</th></tr></thead><tbody>${d.comments.map(
          (x) => html`<tr><td data-label="编号">${x.commentId}</td><td data-label="收到时间">${beijingTime(x.at)}</td><td data-label="意见">${x.text}${
            x.held ? html`<p class="hint">含${[...new Set(x.personalData.map((p) => p.label))].join("、")}：公开时隐去</p>` : ""
          }</td>${personal ? html`<td data-label="提议人">${x.name ?? "（未留姓名）"}${x.contact ? html`<br>${x.contact}` : ""}</td>` : ""}<td data-label="处理">${
            x.disposition ? `${dispositionLabels[x.disposition.decision]}${x.disposition.reason ? `：${x.disposition.reason}` : ""}（${x.disposition.byName}）` : "待处理"
          }</td></tr>`,
        )}</tbody></table>`
      : html`<p>尚未收到意见。</p>`
  }</section>`;
  const draft = html`<section aria-labelledby="c-draft"><h2 id="c-draft">草案</h2>${lines(d.draft)}</section>`;
  const explanation = html`<section aria-labelledby="c-expl"><h2 id="c-expl">起草说明</h2>${explanationParts.map((p) => html`<h3>${explanationPartLabels[p]}</h3>${lines(d.explanation[p])}`)}</section>`;
  const records: Html[] = [];
  if (d.expert) records.push(html`<li>专家咨询论证：${d.expert.matters}；专家 ${d.expert.experts.join("、")}；${d.expert.form === "meeting" ? "咨询论证会" : "书面等形式"}；意见：${d.expert.opinions}；修改：${d.expert.revisions}（${d.expert.byName}）</li>`);
  if (d.hearing) records.push(html`<li>${d.hearing.form === "hearing" ? "听证会" : "座谈会"}（${civilDate(d.hearing.heldOn)}）：${d.hearing.participants}；${d.hearing.summary}</li>`);
  if (d.associations) records.push(html`<li>社会团体、行业协会（${d.associations.associations.join("、")}）：${d.associations.summary}</li>`);
  const attached = [d.expert, d.hearing, d.associations].flatMap((r) => r?.attachments ?? []);
  if (attached.length) records.push(html`<li>附件：${attached.map((f) => f.name).join("、")}</li>`);
  const recordsSection = records.length ? html`<section aria-labelledby="c-records"><h2 id="c-records">论证、座谈和协会意见记录</h2><ul>${records}</ul></section>` : "";
  const letters = d.unitLetters.length
    ? html`<section aria-labelledby="c-letters"><h2 id="c-letters">征求意见函（${d.unitLetters.length}）</h2>${d.unitLetters.map(
        (l) => html`<article class="letter"><h3>致${l.unit}（${civilDate(l.sentOn)}发出）：${l.reply ? `已于 ${civilDate(l.reply.receivedOn)} 书面反馈：${l.reply.summary}` : "尚未反馈"}</h3><pre class="letter-text">${consultationLetterText(d, l.unit, "", consultationPath(c.caseId))}</pre></article>`,
      )}</section>`
    : "";
  const submitted = d.submitted ? html`<section aria-labelledby="c-submitted"><h2 id="c-submitted">报送审议的起草说明（${civilDate(d.submitted.on)}）</h2><pre class="letter-text">${d.submitted.explanation}</pre></section>` : "";
  return { title: d.title, facts, lead: [comments], sections: [draft, explanation, recordsSection, letters, submitted].filter((s): s is Html => s !== "") };
}

export function interpretationSections(_c: Envelope, d: InterpretationData): WorkflowSections {
  const t = d.text ?? d.draft;
  const facts: WorkflowSections["facts"] = [
    { label: "解读的文件", value: html`<a href="/console/cases/${d.document.caseId}">《${d.document.title}》</a>（${d.document.documentNumber}，${civilDate(d.document.issuedOn)} 印发）` },
    { label: "起草科室", value: `${d.drafter.section ?? "—"}（${d.drafter.displayName}）` },
    { label: "完成期限", value: d.finaliseWorkingDays ? `印发后 ${d.finaliseWorkingDays} 个工作日` : "印发当日" },
    { label: "审定", value: d.approved ? `${d.approved.byName}（${beijingTime(d.approved.at)}）${d.approved.opinion ? `：${d.approved.opinion}` : ""}` : "尚未审定" },
    ...(d.published ? [{ label: "索引号", value: html`<a href="/catalogue/${d.published.indexNumber}">${d.published.indexNumber}</a>，关联文件 <a href="/catalogue/${d.published.documentIndexNumber}">${d.published.documentIndexNumber}</a>` }] : []),
  ];
  const text = t ? html`<section aria-labelledby="i-text"><h2 id="i-text">${d.text ? "解读文本" : "解读初稿（起草科室报送）"}：${t.title}</h2>${lines(t.body)}</section>` : html`<p>起草科室未报送解读初稿。</p>`;
  return { title: `《${d.document.title}》的政策解读`, facts, lead: [text], sections: [] };
}
