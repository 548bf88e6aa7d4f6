import { textValue } from "../fields";
import type { IsoDate } from "../../calendar";
import type { OutcomeField, StepDefinition, TransitionContext, WorkflowDefinition } from "../types";
import {
  secrecyChainSteps,
  secrecyConsultationDeadline,
  secrecyLevelOutcomes,
  startSecrecyChain,
  type SecrecyChainHooks,
  type SecrecyReview,
  type SecrecyState,
} from "../secrecy";
import { newCatalogueEntry, type CatalogueEntry } from "../../catalogue/entry";
import type { ScreeningReport } from "../../screening/types";
import type { StoredFile } from "../publication/data";
import { redactVersion, versionContains } from "../publication/content";

/**
 * Official documents (公文) for proactive disclosure (SPEC §3.3; seed 公文类信息主动公开工作流程):
 * the drafting section proposes the disclosure attribute → the office head's secrecy review
 * (定密; doubtful cases referred to the secrecy authority, or the whole secrecy chain) →
 * the office checks the attribute → the deputy leader signs → issued (number, date) →
 * proactive documents are published to the catalogue within 20 working days (OGI
 * Regulations art. 26) → each month's issued documents are reconciled (reconciliation/).
 */

export const disclosureAttributes = ["proactive", "on_application", "not_public"] as const;
export type DisclosureAttribute = (typeof disclosureAttributes)[number];
export const disclosureAttributeLabels: Record<DisclosureAttribute, string> = { proactive: "主动公开", on_application: "依申请公开", not_public: "不予公开" };

export interface DocumentData {
  title: string;
  bodyHtml: string;
  text: string;
  attachments: StoredFile[];
  screening: ScreeningReport;
  drafter: { username: string; displayName: string; email?: string; section?: string };
  /** the drafting section's proposal (拟稿科室初步意见) */
  proposal: { attribute: DisclosureAttribute; reason?: string };
  /** the attribute as it stands after review */
  attribute: DisclosureAttribute;
  attributeReason?: string;
  column: string;
  /** 定密: the office head's decision */
  classification?: SecrecyState;
  secrecy?: SecrecyReview;
  issued?: { documentNumber: string; issuedOn: IsoDate };
  /** a normative document (行政规范性文件): its issue opens its policy interpretation (interpretation/) */
  normative?: boolean;
  /** the interpretation draft sent with the document draft (谁起草谁解读) */
  interpretationDraft?: { title: string; body: string };
  /** working days to finalise the interpretation after the issue (0: the same working day) */
  interpretationWorkingDays?: number;
  /** the draft's public consultation (consultation/), shown on the document's public page */
  consultationCaseId?: string;
  published?: { indexNumber: string; at: string; on: IsoDate };
}

type Ctx = TransitionContext<DocumentData>;
const text = textValue;

const attributeField: OutcomeField = {
  name: "attribute",
  type: "choice",
  label: "公开属性",
  required: true,
  choices: disclosureAttributes.map((value) => ({ value, label: disclosureAttributeLabels[value] })),
};
const attributeReasonField: OutcomeField = {
  name: "reason",
  type: "text",
  label: "不公开或依申请公开的理由",
  required: false,
  requiredWhen: { field: "attribute", values: ["on_application", "not_public"] },
  maxLength: 2000,
};

const asVersion = (d: DocumentData) => ({ n: 1, title: d.title, bodyHtml: d.bodyHtml, text: d.text, attachments: d.attachments, images: [], at: "", byName: "", screening: d.screening });

const secrecyHooks: SecrecyChainHooks<DocumentData> = {
  status: "secrecy_review",
  review: (d) => d.secrecy,
  withReview: (d, secrecy) => ({ ...d, secrecy }),
  contains: (d, passage) => versionContains(d, passage),
  redact: (d, passages) => {
    const v = redactVersion(asVersion(d), passages);
    return { ...d, title: v.title, text: v.text, bodyHtml: v.bodyHtml };
  },
  cleared: (_ctx, data, summary) => ({ status: "attribute_check", data, open: [{ step: "check_attribute", note: `${summary}，请审核公开属性` }], event: { type: "secrecy.cleared", summary } }),
  withheld: (_ctx, data, reasons) => ({
    status: "attribute_check",
    data: { ...data, attribute: "not_public", attributeReason: `保密审查不予公开：${reasons}` },
    open: [{ step: "check_attribute", note: `保密审查不予公开：${reasons}` }],
    event: { type: "secrecy.withheld", summary: reasons },
  }),
};

/** The catalogue entry of an issued proactive document. */
export function documentEntry(ctx: Ctx, at: { indexNumber: string; year: number; sequence: number; publisher: string; column: string }): CatalogueEntry {
  const d = ctx.case.data;
  return newCatalogueEntry({
    agencyCode: ctx.case.agencyCode,
    indexNumber: at.indexNumber,
    year: at.year,
    sequence: at.sequence,
    kind: "document",
    caseId: ctx.case.caseId,
    title: d.title,
    column: at.column,
    documentNumber: d.issued!.documentNumber,
    writtenOn: d.issued!.issuedOn,
    publisher: at.publisher,
    publishedAt: ctx.now.toISOString(),
    publishedOn: ctx.today,
    bodyHtml: d.bodyHtml,
    text: d.text,
    attachments: d.attachments.map((f) => ({ name: f.name, key: f.key, contentType: f.contentType, size: f.bytes })),
  });
}

const steps: Record<string, StepDefinition<DocumentData>> = {
  classify: {
    step: "classify",
    role: "office_director",
    title: "定密审核",
    instructions: "对公文进行定密审核，提出保密审查意见；对不公开的须说明理由；不能确定的，征求保密工作部门意见。",
    periodWorkingDays: 2,
    escalateTo: ["deputy_leader"],
    outcomes: [
      ...secrecyLevelOutcomes<DocumentData>(
        {
          state: (d) => d.classification,
          decided: (ctx, classification, summary) => {
            const withhold = classification.decision === "withhold" || classification.outside?.decision === "withhold";
            const d = ctx.case.data;
            return {
              status: "attribute_check",
              data: { ...d, classification, ...(withhold ? { attribute: "not_public" as const, attributeReason: classification.reasons ?? classification.outside?.summary } : {}) },
              open: [{ step: "check_attribute", note: summary }],
              event: { type: "document.classified", summary: `定密审核：${summary}`, data: { decision: classification.decision, ...(classification.reasons || classification.note ? { opinion: classification.reasons ?? classification.note } : {}) } },
            };
          },
          referred: (ctx, classification) => ({
            data: { ...ctx.case.data, classification },
            open: [{ step: "classify", periodWorkingDays: 15, note: `已征求${classification.authority}意见，收到答复后请登记` }],
            event: { type: "secrecy.referred", summary: `不能确定是否公开，征求${classification.authority}意见`, data: { authority: classification.authority, opinion: `征求${classification.authority}意见` } },
          }),
        },
        { noteLabel: "保密审查意见" },
      ),
      {
        outcome: "request_secrecy_review",
        label: "按保密审查制度逐级审查",
        fields: [{ name: "note", type: "text", label: "提请说明", required: false, maxLength: 2000 }],
        transition: (ctx) => ({
          ...startSecrecyChain(ctx, secrecyHooks, ctx.case.data, text(ctx.values, "note")),
          event: { type: "secrecy.requested", summary: "提请逐级保密审查" },
        }),
      },
    ],
  },
  check_attribute: {
    step: "check_attribute",
    role: "office_staff",
    title: "审核公开属性",
    instructions: "核稿时一并审核科室标注的公开属性，报分管领导审定。",
    periodWorkingDays: 2,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "confirmed",
        label: "公开属性审核完毕，报分管领导审签",
        fields: [attributeField, attributeReasonField],
        transition: (ctx) => {
          const attribute = text(ctx.values, "attribute") as DisclosureAttribute;
          const reason = text(ctx.values, "reason");
          const { attributeReason: _old, ...d } = ctx.case.data;
          return {
            status: "signing",
            data: { ...d, attribute, ...(attribute !== "proactive" && reason ? { attributeReason: reason } : {}) },
            open: [{ step: "sign" }],
            event: {
              type: "document.attribute_checked",
              summary: `公开属性：${disclosureAttributeLabels[attribute]}${reason && attribute !== "proactive" ? `（${reason}）` : ""}`,
              data: { attribute, ...(reason ? { opinion: reason } : {}) },
            },
          };
        },
      },
    ],
  },
  sign: {
    step: "sign",
    role: "deputy_leader",
    title: "分管领导审签",
    instructions: "审签公文及其公开属性；审签后按办文程序印发。",
    periodWorkingDays: 2,
    escalateTo: ["principal_leader"],
    outcomes: [
      {
        outcome: "signed",
        label: "审签",
        fields: [{ name: "opinion", type: "text", label: "审签意见", required: false, maxLength: 2000 }],
        transition: (ctx) => ({
          status: "signed",
          open: [{ step: "issue" }],
          event: { type: "document.signed", summary: `分管领导审签${text(ctx.values, "opinion") ? `：${text(ctx.values, "opinion")}` : ""}`, data: { ...(text(ctx.values, "opinion") ? { opinion: text(ctx.values, "opinion") } : {}) } },
        }),
      },
      {
        outcome: "returned",
        label: "退回重新审核",
        fields: [{ name: "note", type: "text", label: "退回意见", required: true, maxLength: 2000 }],
        transition: (ctx) => ({
          status: "attribute_check",
          open: [{ step: "check_attribute", note: text(ctx.values, "note")! }],
          event: { type: "document.returned", summary: `分管领导退回：${text(ctx.values, "note")}`, data: { opinion: text(ctx.values, "note") } },
        }),
      },
    ],
  },
  issue: {
    step: "issue",
    role: "office_staff",
    title: "印发登记",
    instructions: "按办文程序印发后登记文号和印发日期；主动公开的随即转入发布。",
    periodWorkingDays: 3,
    escalateTo: ["office_director"],
    outcomes: [
      {
        outcome: "issued",
        label: "已印发",
        fields: [
          { name: "documentNumber", type: "text", label: "文号", required: true, maxLength: 100, hint: "如 黄行服〔2026〕12号" },
          { name: "issuedOn", type: "date", label: "印发日期", required: true },
        ],
        check: (ctx) => (text(ctx.values, "issuedOn")! > ctx.today ? [{ path: "issuedOn", code: "out_of_range", message: "印发日期不能晚于今天" }] : []),
        transition: (ctx) => {
          const d = ctx.case.data;
          const issued = { documentNumber: text(ctx.values, "documentNumber")!, issuedOn: text(ctx.values, "issuedOn")! };
          const proactive = d.attribute === "proactive";
          return {
            status: proactive ? "issued" : "filed",
            data: { ...d, issued },
            ...(proactive ? { open: [{ step: "publish_document", from: issued.issuedOn }] } : { done: true }),
            event: {
              type: "document.issued",
              summary: `印发 ${issued.documentNumber}（${issued.issuedOn}）${proactive ? "，转入主动公开" : `，${disclosureAttributeLabels[d.attribute]}，不在目录发布`}`,
              data: issued,
            },
          };
        },
      },
    ],
  },
  publish_document: {
    step: "publish_document",
    role: "office_staff",
    title: "发布主动公开公文",
    instructions: "将公文电子文本加载到非涉密内网工作平台后，在门户网站及时发布（自形成之日起20个工作日内）。",
    // OGI Regulations art. 26: within 20 working days of the information being formed
    periodWorkingDays: 20,
    escalateTo: ["office_director", "deputy_leader"],
    outcomes: [
      {
        outcome: "published",
        label: "已加载内网平台并在目录发布",
        fields: [{ name: "column", type: "text", label: "目录栏目", required: false, maxLength: 40 }],
        // the index number is taken by app/publishing before this runs
        refuse: (ctx) => (ctx.extra.indexNumber ? undefined : { status: 409, code: "NOT_PREPARED", message: "请通过案件页面或 API 发布" }),
        transition: (ctx) => {
          const x = ctx.extra as { indexNumber: string; year: number; sequence: number; publisher: string; column: string };
          const entry = documentEntry(ctx, x);
          return {
            status: "published",
            done: true,
            data: { ...ctx.case.data, column: x.column, published: { indexNumber: entry.indexNumber, at: ctx.now.toISOString(), on: ctx.today } },
            catalogue: { entry },
            event: { type: "document.published", summary: `已在目录发布，索引号 ${entry.indexNumber}`, data: { indexNumber: entry.indexNumber } },
          };
        },
      },
    ],
  },
  ...secrecyChainSteps(secrecyHooks),
};

export const documentWorkflow: WorkflowDefinition<DocumentData> = {
  workflow: "document",
  label: "公文公开",
  statuses: {
    classification: "待定密审核",
    secrecy_review: "保密审查中",
    attribute_check: "待审核公开属性",
    signing: "待分管领导审签",
    signed: "已审签，待印发",
    issued: "已印发，待发布",
    published: "已主动公开",
    filed: "已印发（不在目录发布）",
  },
  terminal: ["published", "filed"],
  start: { step: "classify", status: "classification" },
  steps,
  deadlines: { [secrecyConsultationDeadline.name]: secrecyConsultationDeadline },
  searchText: (c) => [c.reference, c.data.title, c.data.issued?.documentNumber, c.data.drafter.displayName].filter(Boolean).join(" "),
  applicant: (c) => ({ name: c.data.drafter.displayName, ...(c.data.drafter.email ? { email: c.data.drafter.email } : {}) }),
  party: (c) => `${c.data.title}（${c.data.drafter.section ?? "拟稿科室"}）`,
  viewRoles: ["section_head", "office_staff", "office_director", "deputy_leader", "principal_leader", "tech_info", "auditor"],
  personalDataRoles: ["office_staff", "office_director", "deputy_leader", "principal_leader"],
};

