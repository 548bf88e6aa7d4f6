import type { IsoDate } from "../../calendar";
import { redactText } from "../../screening";
import type { StoredFile } from "../publication/data";

/**
 * A draft normative document's public consultation (SPEC §3.5, §7.3; seed 关于行政规范性文件
 * 草案公开征求意见的规定): the draft and its drafting explanation, the 第七条 situations and the
 * 第九条/第十条 interests declared, the public period, the letters to units and their replies,
 * the comments with their dispositions, and the records the 第十三条 gate checks.
 */

/** seed 第七条 (一)–(四): any of them makes an expert consultation (第八条) mandatory. */
export const consultationSituations = ["major_matter", "contested_technical", "reward_support", "fiscal_cost"] as const;
export type ConsultationSituation = (typeof consultationSituations)[number];
export const situationLabels: Record<ConsultationSituation, string> = {
  major_matter: "涉及本地区经济社会发展重大事项",
  contested_technical: "涉及较强专业性、技术性内容且存在较大意见分歧",
  reward_support: "规定奖励、扶持措施的审查标准和审查程序",
  fiscal_cost: "可能导致重大财政投入或者社会成本大幅增加",
};

/** seed 第五条: the parts every drafting explanation has. */
export const explanationParts = ["necessity", "problems", "measures", "process"] as const;
export type ExplanationPart = (typeof explanationParts)[number];
export const explanationPartLabels: Record<ExplanationPart, string> = {
  necessity: "制定文件的必要性和可行性",
  problems: "需要解决的主要问题",
  measures: "拟出台的主要制度和拟采取的主要措施",
  process: "起草情况及依据",
};
export type DraftingExplanation = Record<ExplanationPart, string>;

export const dispositionDecisions = ["adopted", "partly_adopted", "not_adopted"] as const;
export type DispositionDecision = (typeof dispositionDecisions)[number];
export const dispositionLabels: Record<DispositionDecision, string> = { adopted: "采纳", partly_adopted: "部分采纳", not_adopted: "不予采纳" };

/** The least public period (seed 第五条: 一般不得少于7个工作日). */
export const MIN_CONSULTATION_WORKING_DAYS = 7;

export interface ConsultationComment {
  /** `C1`, `C2`, … in the order received */
  commentId: string;
  at: string;
  on: IsoDate;
  text: string;
  name?: string;
  contact?: string;
  /** personal data found in the text (resident ID, phone…): held for review, shown publicly only blacked out */
  held: boolean;
  personalData: Array<{ start: number; end: number; label: string }>;
  disposition?: { decision: DispositionDecision; reason?: string; byName: string; at: string };
}

export interface ExpertConsultationRecord {
  /** minutes, written opinions, sign-in sheets… (files bucket) */
  attachments?: StoredFile[];
  matters: string;
  experts: string[];
  materials: string;
  form: "meeting" | "written";
  opinions: string;
  revisions: string;
  byName: string;
  at: string;
}

export interface HearingRecord {
  /** minutes, written opinions, sign-in sheets… (files bucket) */
  attachments?: StoredFile[];
  form: "symposium" | "hearing";
  heldOn: IsoDate;
  participants: string;
  summary: string;
  byName: string;
  at: string;
}

export interface AssociationOpinions {
  /** minutes, written opinions, sign-in sheets… (files bucket) */
  attachments?: StoredFile[];
  associations: string[];
  summary: string;
  byName: string;
  at: string;
}

export interface UnitLetter {
  unit: string;
  sentOn: IsoDate;
  reply?: { summary: string; receivedOn: IsoDate; byName: string };
}

export interface ConsultationData {
  title: string;
  draft: string;
  explanation: DraftingExplanation;
  situations: ConsultationSituation[];
  publicInterest: boolean;
  sectorInterests: boolean;
  /** seed 第四条: not to be disclosed by law, or urgent — no public period, with the reason */
  exempt?: { reason: string };
  drafter: { username: string; displayName: string; email?: string; section?: string };
  period?: { workingDays: number; opensOn: IsoDate; closesOn: IsoDate; closesIsProvisional: boolean };
  closed?: { at: string };
  comments: ConsultationComment[];
  unitLetters: UnitLetter[];
  expert?: ExpertConsultationRecord;
  hearing?: HearingRecord;
  associations?: AssociationOpinions;
  summary?: { at: string; on: IsoDate };
  submitted?: { at: string; on: IsoDate; explanation: string };
}

/** A comment as the public may see it: no name, no contact, personal data blacked out. */
export function publicCommentText(c: ConsultationComment): string {
  return c.personalData.length ? redactText(c.text, c.personalData) : c.text;
}

export function commentCounts(d: ConsultationData) {
  const count = (x: DispositionDecision) => d.comments.filter((c) => c.disposition?.decision === x).length;
  return {
    total: d.comments.length,
    adopted: count("adopted"),
    partlyAdopted: count("partly_adopted"),
    notAdopted: count("not_adopted"),
    undisposed: d.comments.filter((c) => !c.disposition).length,
    held: d.comments.filter((c) => c.held).length,
  };
}

/** The public page of a consultation (seed 第十二条: its address goes into the drafting explanation). */
export const consultationPath = (caseId: string) => `/consultations/${caseId}`;

/**
 * What still stands between the draft and its submission for review (seed 第十三条), one
 * line each: the public period (unless exempt under 第四条), every comment's disposition,
 * the published summary (第十一条), and the records 第七条–第十条 make mandatory.
 */
export function missingForSubmission(d: ConsultationData, now: Date): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  if (!d.exempt) {
    if (!d.period) out.push({ path: "period", message: "草案尚未在门户网站公开征求意见（第三条、第五条）" });
    else {
      if (d.period.workingDays < MIN_CONSULTATION_WORKING_DAYS) out.push({ path: "period", message: `征求意见期限不足 ${MIN_CONSULTATION_WORKING_DAYS} 个工作日（第五条）` });
      if (!d.closed) out.push({ path: "period", message: `征求意见期限尚未届满（截至 ${d.period.closesOn}）` });
    }
    const undisposed = d.comments.filter((c) => !c.disposition);
    if (undisposed.length) out.push({ path: "comments", message: `${undisposed.length} 条意见尚未作出采纳处理：${undisposed.map((c) => c.commentId).join("、")}（第十一条）` });
    if (d.closed && !d.summary) out.push({ path: "summary", message: "意见采纳情况尚未公开反馈（第十一条）" });
  }
  if (d.situations.length && !d.expert) out.push({ path: "expert", message: "属于第七条情形，尚未记录专家咨询论证（第八条）" });
  if (d.publicInterest && !d.hearing) out.push({ path: "hearing", message: "涉及重大公共利益，尚未记录座谈会或听证会（第九条）" });
  if (d.sectorInterests && !d.associations) out.push({ path: "associations", message: "涉及特定团体、行业利益，尚未记录社会团体、行业协会意见（第十条）" });
  void now;
  return out;
}

/** The drafting explanation as submitted for review (seed 第十二条): the four parts and how the consultation went, with its address. */
export function draftingExplanationForSubmission(d: ConsultationData, url: string): string {
  const n = commentCounts(d);
  const parts = explanationParts.map((p, i) => `${"一二三四"[i]}、${explanationPartLabels[p]}\n${d.explanation[p]}`);
  const consultation: string[] = [];
  if (d.exempt) consultation.push(`本草案依据《关于行政规范性文件草案公开征求意见的规定》第四条不公开征求意见。理由：${d.exempt.reason}`);
  else if (d.period) {
    consultation.push(
      `本草案于 ${d.period.opensOn} 在门户网站公开征求社会公众意见，征求意见期限 ${d.period.workingDays} 个工作日，截至 ${d.period.closesOn}。公开网址：${url}`,
      `共收到意见 ${n.total} 条，其中采纳 ${n.adopted} 条、部分采纳 ${n.partlyAdopted} 条、不予采纳 ${n.notAdopted} 条；不予采纳的意见已通过适当方式反馈提议人，意见采纳情况已在门户网站公开。`,
    );
  }
  if (d.unitLetters.length) {
    const replied = d.unitLetters.filter((l) => l.reply);
    consultation.push(`书面征求 ${d.unitLetters.length} 家单位意见（${d.unitLetters.map((l) => l.unit).join("、")}），收到书面反馈 ${replied.length} 份。${replied.map((l) => `${l.unit}：${l.reply!.summary}`).join("；")}`);
  }
  if (d.expert) consultation.push(`专家咨询论证（第八条）：${d.expert.matters}；参与专家 ${d.expert.experts.join("、")}；${d.expert.form === "meeting" ? "召开咨询论证会" : "书面听取意见"}；据此修改：${d.expert.revisions}`);
  if (d.hearing) consultation.push(`${d.hearing.form === "hearing" ? "听证会" : "座谈会"}（第九条，${d.hearing.heldOn}）：${d.hearing.summary}`);
  if (d.associations) consultation.push(`社会团体、行业协会意见（第十条，${d.associations.associations.join("、")}）：${d.associations.summary}`);
  return [`《${d.title}》起草说明`, ...parts, `五、公开征求意见及采纳情况\n${consultation.join("\n")}`].join("\n\n");
}

/** 征求意见函 (seed 第三条、第六条): the letter to a unit, generated from the case; the unit answers in writing. */
export function consultationLetterText(d: ConsultationData, unit: string, agencyName: string, url: string): string {
  const p = d.period;
  return [
    `关于征求《${d.title}（征求意见稿）》意见的函`,
    `${unit}：`,
    `为提高行政规范性文件质量，根据《关于行政规范性文件草案公开征求意见的规定》，现将《${d.title}（征求意见稿）》及起草说明送上，请研究并提出书面修改意见。`,
    p ? `请于 ${p.closesOn} 前以书面形式反馈（第六条）。草案已同时在门户网站公开征求意见：${url}` : `请以书面形式反馈（第六条）。`,
    `联系科室：${d.drafter.section ?? "起草科室"}（${d.drafter.displayName}）`,
    agencyName,
    p?.opensOn ?? "",
  ]
    .filter(Boolean)
    .join("\n");
}
