/**
 * The six text sections of the annual report (format 国办公开办函〔2021〕30号): 一、总体情况
 * … 六、其他需要报告的事项. Each starts as a draft written from the year's figures; the office
 * edits it in the console, and an edited section keeps its text (with who and when) while the
 * figures' draft is still shown beside it. Pure: report and facts in, text out.
 */
import { resultCells, resultGroups, type ResultCell } from "./cells";
import { applicationRowLabels, TOTAL_LABEL, type AnnualReport } from "./annual";

export const narrativeSections = [
  { key: "overview", heading: "一、总体情况" },
  { key: "proactive", heading: "二、主动公开政府信息情况" },
  { key: "applications", heading: "三、收到和处理政府信息公开申请情况" },
  { key: "reviewLitigation", heading: "四、政府信息公开行政复议、行政诉讼情况" },
  { key: "problems", heading: "五、存在的主要问题及改进情况" },
  { key: "other", heading: "六、其他需要报告的事项" },
] as const;

export type NarrativeKey = (typeof narrativeSections)[number]["key"];
export const narrativeKeys: readonly NarrativeKey[] = narrativeSections.map((s) => s.key);
/** Longest text a section may hold (a long 总体情况 runs to a few thousand characters). */
export const NARRATIVE_MAX_CHARS = 20_000;

/** What the drafts say beyond the tables: the year's publishing, and the processing fees charged. */
export interface NarrativeFacts {
  /** catalogue entries published in the year, by column label, most first */
  published: { total: number; byColumn: Array<{ label: string; count: number }> };
  /** 信息处理费 (国办函〔2020〕109号); absent while the system keeps no fee records */
  fees?: { notices: number; noticedYuan: number; collected: number; collectedYuan: number };
}

/** A section as stored once edited. */
export interface EditedSection {
  text: string;
  editedBy: string;
  editedAt: string;
}

export interface NarrativeSection {
  key: NarrativeKey;
  heading: string;
  /** the edited text, or the draft while nobody has edited it */
  text: string;
  /** the draft from the current figures, shown beside an edited text */
  draft: string;
  edited: boolean;
  editedBy?: string;
  editedAt?: string;
}

const TO_FILL = "【请填写】";

function row(report: AnnualReport, label: string): number {
  const r = report.applications.rows.find((x) => x.label === label);
  return r ? r.values[r.values.length - 1]! : 0;
}

function cellTotal(report: AnnualReport, cell: ResultCell): number {
  return row(report, resultCells[cell]);
}

function groupTotal(report: AnnualReport, group: string): number {
  return row(report, resultGroups[group]!);
}

function handEntered(report: AnnualReport, label: string, column: string): string {
  const col = report.proactive.columns.indexOf(column);
  const r = report.proactive.rows.find((x) => x.label === label);
  const v = r && col >= 0 ? r.values[col] : null;
  return v === null || v === undefined ? TO_FILL : String(v);
}

function remedyText(report: AnnualReport): string {
  const cols = report.reviewLitigation.columns;
  const at = (r: { values: (number | null)[] } | undefined, label: string) => Number(r?.values[cols.indexOf(label)] ?? 0);
  const [review, direct, afterReview] = report.reviewLitigation.rows;
  const total = (r: typeof review) => at(r, TOTAL_LABEL);
  const parts = [
    `本年度因政府信息公开被申请行政复议 ${total(review)} 件（结果维持 ${at(review, "结果维持")} 件、结果纠正 ${at(review, "结果纠正")} 件、其他结果 ${at(review, "其他结果")} 件、尚未审结 ${at(review, "尚未审结")} 件）`,
    `被提起行政诉讼 ${total(direct) + total(afterReview)} 件（未经复议直接起诉 ${total(direct)} 件、复议后起诉 ${total(afterReview)} 件；结果纠正 ${at(direct, "结果纠正") + at(afterReview, "结果纠正")} 件）。`,
  ];
  return parts.join("，");
}

/** The draft of every section from the report's figures and the year's facts. */
export function draftNarrative(report: AnnualReport, facts: NarrativeFacts): Record<NarrativeKey, string> {
  const y = report.year;
  const received = row(report, applicationRowLabels.new);
  const carried = row(report, applicationRowLabels.carried);
  const closed = row(report, applicationRowLabels.total);
  const forward = row(report, applicationRowLabels.carryForward);
  const columns = facts.published.byColumn.slice(0, 5).map((c) => `${c.label} ${c.count} 条`).join("、");
  const fees = facts.fees;
  return {
    overview: [
      `${y}年，${report.agency.name}认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。`,
      `全年主动公开政府信息 ${facts.published.total} 条${columns ? `，其中${columns}` : ""}；`,
      `新收政府信息公开申请 ${received} 件，上年结转 ${carried} 件，办结 ${closed} 件，结转下年度继续办理 ${forward} 件。`,
      `（请补充政府信息管理、平台建设、监督保障等方面的情况。）`,
    ].join(""),
    proactive: [
      `本年度制发规章 ${handEntered(report, "规章", "本年制发件数")} 件、行政规范性文件 ${handEntered(report, "行政规范性文件", "本年制发件数")} 件，`,
      `现行有效规章 ${handEntered(report, "规章", "现行有效件数")} 件、行政规范性文件 ${handEntered(report, "行政规范性文件", "现行有效件数")} 件；`,
      `作出行政许可决定 ${handEntered(report, "行政许可", "本年处理决定数量")} 件、行政处罚决定 ${handEntered(report, "行政处罚", "本年处理决定数量")} 件、行政强制决定 ${handEntered(report, "行政强制", "本年处理决定数量")} 件。`,
      `具体情况见下表。`,
    ].join(""),
    applications: [
      `本年度新收政府信息公开申请 ${received} 件，上年结转 ${carried} 件。`,
      `办理结果：予以公开 ${cellTotal(report, "1")} 件，部分公开 ${cellTotal(report, "2")} 件，不予公开 ${groupTotal(report, "3")} 件，`,
      `无法提供 ${groupTotal(report, "4")} 件，不予处理 ${groupTotal(report, "5")} 件，其他处理 ${groupTotal(report, "6")} 件，合计办结 ${closed} 件；`,
      `结转下年度继续办理 ${forward} 件。具体情况见下表。`,
    ].join(""),
    reviewLitigation: `${remedyText(report)}具体情况见下表。`,
    problems: `（请写明本年度工作中存在的主要问题，以及针对上一年度问题的改进情况。）`,
    other: fees
      ? `依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度发出收费通知 ${fees.notices} 件，总金额 ${fees.noticedYuan} 元；实际收取信息处理费 ${fees.collected} 件，总金额 ${fees.collectedYuan} 元。` +
        `因申请人逾期未按收费通知缴纳费用而不再处理的申请 ${cellTotal(report, "6.2")} 件。`
      : `依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度发出收费通知 ${TO_FILL} 件，总金额 ${TO_FILL} 元；实际收取 ${TO_FILL} 件，总金额 ${TO_FILL} 元。` +
        `因申请人逾期未按收费通知缴纳费用而不再处理的申请 ${cellTotal(report, "6.2")} 件。`,
  };
}

/** Each section: its edited text where there is one, the draft where not. */
export function narrativeOf(report: AnnualReport, facts: NarrativeFacts, edited: Partial<Record<NarrativeKey, EditedSection>>): NarrativeSection[] {
  const drafts = draftNarrative(report, facts);
  return narrativeSections.map(({ key, heading }) => {
    const e = edited[key];
    return e
      ? { key, heading, text: e.text, draft: drafts[key], edited: true, editedBy: e.editedBy, editedAt: e.editedAt }
      : { key, heading, text: drafts[key], draft: drafts[key], edited: false };
  });
}
