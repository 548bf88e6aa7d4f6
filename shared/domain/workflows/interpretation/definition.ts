import { textValue } from "../fields";
import type { IsoDate, WorkingCalendar } from "../../calendar";
import { addDays } from "../../calendar/civil-date";
import type { StepDefinition, WorkflowDefinition } from "../types";
import { newCatalogueEntry } from "../../catalogue/entry";

/**
 * Policy interpretation of a normative document (SPEC §3.4; seed 行政规范性文件政策解读公开工作流程):
 * whoever drafts, interprets — the drafting section sends the interpretation draft with the
 * document draft; the document's issue opens this case (shared/app/interpretations), the
 * office and the drafting section finalise it the same working day (or within the period set
 * on the document) → the office director approves → the tech-info section publishes it in
 * the normative-documents column, linked both ways with its document in the catalogue.
 */

export interface InterpretationData {
  document: { caseId: string; title: string; documentNumber: string; issuedOn: IsoDate };
  /** the drafting section's first draft, sent with the document draft (一、) */
  draft?: { title: string; body: string };
  /** the finalised text (二、) */
  text?: { title: string; body: string };
  drafter: { username: string; displayName: string; email?: string; section?: string };
  /** working days to finalise it after the issue; 0: the same working day */
  finaliseWorkingDays: number;
  approved?: { byName: string; at: string; opinion?: string };
  published?: { indexNumber: string; documentIndexNumber: string; at: string; on: IsoDate };
}

const text = textValue;

/** The working day before `day` (a task from it with one working day is due on `day` when that is a working day). */
function previousWorkingDay(calendar: WorkingCalendar, day: IsoDate): IsoDate {
  let d = addDays(day, -1);
  for (let i = 0; i < 40 && !calendar.isWorkingDay(d); i++) d = addDays(d, -1);
  return d;
}

const textFields = () => [
  { name: "title", type: "text" as const, label: "解读标题", required: true, maxLength: 200 },
  { name: "body", type: "text" as const, label: "解读正文", required: true, maxLength: 50_000 },
];

const steps: Record<string, StepDefinition<InterpretationData>> = {
  finalise_interpretation: {
    step: "finalise_interpretation",
    role: "office_staff",
    title: "完成政策解读修改",
    instructions: "行政规范性文件印发后，办公室会同文件起草科室同步完成解读文件修改，送办公室主任审定。",
    periodWorkingDays: 1,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "opened",
        label: "公文印发，生成解读待办",
        fields: [],
        actors: ["system"],
        transition: (ctx) => {
          const d = ctx.case.data;
          const sameDay = d.finaliseWorkingDays <= 0;
          return {
            status: "finalising",
            open: [
              {
                step: "finalise_interpretation",
                ...(sameDay ? { from: previousWorkingDay(ctx.calendar, ctx.today), periodWorkingDays: 1 } : { periodWorkingDays: d.finaliseWorkingDays }),
                note: d.draft ? `起草科室已报送解读初稿「${d.draft.title}」` : "起草科室未报送解读初稿，请会同起草科室撰写",
              },
            ],
            event: { type: "interpretation.opened", summary: `《${d.document.title}》（${d.document.documentNumber}）已印发，须同步完成政策解读${sameDay ? "（当日办结）" : `（${d.finaliseWorkingDays} 个工作日内）`}`, data: { documentCaseId: d.document.caseId } },
          };
        },
      },
      {
        outcome: "finalised",
        label: "解读修改完成，送办公室主任审定",
        fields: textFields(),
        transition: (ctx) => ({
          status: "approval",
          data: { ...ctx.case.data, text: { title: text(ctx.values, "title")!, body: text(ctx.values, "body")! } },
          open: [{ step: "approve_interpretation" }],
          event: { type: "interpretation.finalised", summary: `完成解读「${text(ctx.values, "title")}」，送办公室主任审定` },
        }),
      },
    ],
  },
  approve_interpretation: {
    step: "approve_interpretation",
    role: "office_director",
    title: "审定政策解读",
    instructions: "审定解读文本；审定后由办公室送技术信息科在门户网站行政规范性文件栏目公开。",
    periodWorkingDays: 1,
    escalateTo: ["deputy_leader"],
    outcomes: [
      {
        outcome: "approve",
        label: "审定",
        fields: [{ name: "opinion", type: "text", label: "审定意见", required: false, maxLength: 2000 }],
        transition: (ctx) => {
          const opinion = text(ctx.values, "opinion");
          return {
            status: "publishing",
            data: { ...ctx.case.data, approved: { byName: ctx.actor.displayName ?? ctx.actor.username ?? "", at: ctx.now.toISOString(), ...(opinion ? { opinion } : {}) } },
            open: [{ step: "publish_interpretation" }],
            event: { type: "interpretation.approved", summary: `办公室主任审定${opinion ? `：${opinion}` : ""}`, data: { ...(opinion ? { opinion } : {}) } },
          };
        },
      },
      {
        outcome: "return",
        label: "退回修改",
        fields: [{ name: "note", type: "text", label: "退回意见", required: true, maxLength: 2000 }],
        transition: (ctx) => ({
          status: "finalising",
          open: [{ step: "finalise_interpretation", note: text(ctx.values, "note")! }],
          event: { type: "interpretation.returned", summary: `办公室主任退回：${text(ctx.values, "note")}`, data: { opinion: text(ctx.values, "note") } },
        }),
      },
    ],
  },
  publish_interpretation: {
    step: "publish_interpretation",
    role: "tech_info",
    title: "发布政策解读",
    instructions: "在门户网站行政规范性文件栏目公开审定的解读，与文件相互关联。",
    periodWorkingDays: 1,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "published",
        label: "在行政规范性文件栏目发布",
        fields: [],
        // the index number and the document's entry are read by app/interpretations before this runs
        refuse: (ctx) => {
          if (!ctx.extra.indexNumber) return { status: 409, code: "NOT_PREPARED", message: "请通过案件页面或 API 发布" };
          if (!ctx.extra.documentIndexNumber) return { status: 409, code: "DOCUMENT_NOT_PUBLISHED", message: "该解读对应的行政规范性文件尚未在目录发布，请先发布文件再发布解读" };
          return undefined;
        },
        transition: (ctx) => {
          const d = ctx.case.data;
          const x = ctx.extra as { indexNumber: string; year: number; sequence: number; publisher: string; documentIndexNumber: string };
          const t = d.text ?? d.draft!;
          const bodyHtml = t.body
            .split(/\r?\n/)
            .filter((p) => p.trim())
            .map((p) => `<p>${p.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)}</p>`)
            .join("");
          const entry = {
            ...newCatalogueEntry({
              agencyCode: ctx.case.agencyCode,
              indexNumber: x.indexNumber,
              year: x.year,
              sequence: x.sequence,
              kind: "interpretation",
              caseId: ctx.case.caseId,
              title: t.title,
              column: "normative",
              writtenOn: ctx.today,
              publisher: x.publisher,
              publishedAt: ctx.now.toISOString(),
              publishedOn: ctx.today,
              bodyHtml,
              text: t.body,
              attachments: [],
            }),
            interprets: x.documentIndexNumber,
          };
          return {
            status: "published",
            done: true,
            data: { ...d, published: { indexNumber: entry.indexNumber, documentIndexNumber: x.documentIndexNumber, at: ctx.now.toISOString(), on: ctx.today } },
            catalogue: { entry },
            event: { type: "interpretation.published", summary: `在行政规范性文件栏目发布解读，索引号 ${entry.indexNumber}，关联文件 ${x.documentIndexNumber}`, data: { indexNumber: entry.indexNumber, documentIndexNumber: x.documentIndexNumber } },
          };
        },
      },
    ],
  },
};

export const interpretationWorkflow: WorkflowDefinition<InterpretationData> = {
  workflow: "interpretation",
  label: "政策解读",
  statuses: { opened: "待生成解读待办", finalising: "解读修改中", approval: "待办公室主任审定", publishing: "待技术信息科发布", published: "已发布" },
  terminal: ["published"],
  start: { step: "finalise_interpretation", status: "opened" },
  steps,
  deadlines: {},
  searchText: (c) => [c.reference, c.data.document.title, c.data.document.documentNumber, c.data.text?.title ?? c.data.draft?.title].filter(Boolean).join(" "),
  applicant: (c) => ({ name: c.data.drafter.displayName, ...(c.data.drafter.email ? { email: c.data.drafter.email } : {}) }),
  party: (c) => `《${c.data.document.title}》的解读`,
  viewRoles: ["section_head", "office_staff", "office_director", "deputy_leader", "principal_leader", "tech_info", "auditor"],
  personalDataRoles: ["office_staff", "office_director"],
};
