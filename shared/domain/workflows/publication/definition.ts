import { textValue } from "../fields";
import type { OutcomeDefinition, OutcomeField, StepDefinition, Transition, TransitionContext, WorkflowDefinition } from "../types";
import { actorName } from "../engine";
import { secrecyChainSteps, secrecyConsultationDeadline, startSecrecyChain, type SecrecyChainHooks } from "../secrecy";
import { roleLabel } from "../../roles";
import { newCatalogueEntry, type CatalogueEntry } from "../../catalogue/entry";
import { channelLabels, latest, openFindings, type ContentVersion, type PublicationData } from "./data";
import { redactVersion, versionContains } from "./content";

/**
 * Information items for the website and WeChat (SPEC §3.2, §7.2; seed 政务信息公开发布及审核制度):
 *
 *   submit → recheck (office, 复核) ─┬─ approve ─┬─ important → leader_review (deputy leader) ─ approve ─┐
 *                                   │           └──────────────────────────────────────────────────────┴→ publish (the step's Lambda) → published
 *                                   ├─ return → revise (info officer) → resubmit → recheck
 *                                   ├─ redact → recheck again (■ in place of the passages)
 *                                   ├─ request_secrecy_review → secrecy chain (shared/domain/workflows/secrecy.ts) → recheck
 *                                   └─ reject
 *
 * Screening findings of the latest version block every approval until each is redacted
 * or overridden with a written reason; publishing screens once more (app/publishing).
 */

type Ctx = TransitionContext<PublicationData>;

const text = textValue;

const opinionField: OutcomeField = { name: "opinion", type: "text", label: "审核意见", required: false, maxLength: 2000 };
const overrideField: OutcomeField = {
  name: "overrideReason",
  type: "text",
  label: "放行理由（内容筛查有发现时必填）",
  required: false,
  maxLength: 2000,
  hint: "筛查发现的内容确需公开的，写明理由；理由记入审批表",
};
const noteField: OutcomeField = { name: "note", type: "text", label: "退回修改意见", required: true, maxLength: 2000 };
const reasonField: OutcomeField = { name: "reason", type: "text", label: "不予发布的理由", required: true, maxLength: 2000 };

function describeOpen(d: PublicationData): string {
  const { findings, unscreened } = openFindings(d);
  const parts = [...findings.map((f) => `${f.label}「${f.passage}」`), ...unscreened.map((u) => `${u.source.replace(/^attachment:/, "附件")}未能筛查`)];
  return parts.slice(0, 5).join("、") + (parts.length > 5 ? `等${parts.length}处` : "");
}

/** What follows an approval at `step`: the deputy leader for important items, else publishing. */
function afterApproval(data: PublicationData, from: "recheck" | "leader_review"): Pick<Transition<PublicationData>, "status" | "open"> {
  if (from === "recheck" && data.important) return { status: "leader_review", open: [{ step: "leader_review" }] };
  return { status: "publishing", open: [{ step: "publish" }] };
}

function approve(from: "recheck" | "leader_review"): OutcomeDefinition<PublicationData> {
  return {
    outcome: "approve",
    label: from === "recheck" ? "复核通过" : "审核同意发布",
    fields: [opinionField, overrideField],
    refuse: (ctx) => {
      const open = openFindings(ctx.case.data);
      const count = open.findings.length + open.unscreened.length;
      if (count === 0 || text(ctx.values, "overrideReason")) return undefined;
      return {
        status: 422,
        code: "SCREENING_FINDINGS",
        message: `内容筛查发现 ${count} 处需处理：${describeOpen(ctx.case.data)}。请区分处理删除，或填写放行理由后再通过`,
      };
    },
    transition: (ctx) => {
      const d = ctx.case.data;
      const v = latest(d);
      const reason = text(ctx.values, "overrideReason");
      const open = openFindings(d);
      const overrides =
        reason && open.findings.length + open.unscreened.length > 0
          ? [
              ...d.overrides,
              ...[...open.findings.map((f) => f.id), ...open.unscreened.map((u) => `unscreened:${u.source}`)].map((findingId) => ({
                findingId,
                version: v.n,
                reason,
                byName: actorName(ctx.actor),
                role: ctx.actor.role ?? "",
                at: ctx.now.toISOString(),
              })),
            ]
          : d.overrides;
      const data = { ...d, overrides };
      const opinion = text(ctx.values, "opinion");
      return {
        ...afterApproval(data, from),
        data,
        event: {
          type: "publication.approved",
          summary: `${from === "recheck" ? "办公室复核通过" : "分管领导审核同意"}${opinion ? `：${opinion}` : ""}${overrides !== d.overrides ? `（放行筛查发现：${reason}）` : ""}`,
          data: { ...(opinion ? { opinion } : {}), ...(overrides !== d.overrides ? { overrideReason: reason } : {}), version: v.n },
        },
      };
    },
  };
}

function returnForRevision(): OutcomeDefinition<PublicationData> {
  return {
    outcome: "return",
    label: "退回修改",
    fields: [noteField],
    transition: (ctx) => {
      const d = ctx.case.data;
      const note = text(ctx.values, "note")!;
      return {
        status: "returned",
        data: { ...d, returns: [...d.returns, { version: latest(d).n, note, byName: actorName(ctx.actor), role: ctx.actor.role ?? "", at: ctx.now.toISOString() }] },
        open: [{ step: "revise", note }],
        notices: [{ to: { kind: "applicant" }, subject: `【退回修改】${latest(d).title}`, text: `您报送的信息「${latest(d).title}」被退回修改。\n修改意见：${note}` }],
        event: { type: "publication.returned", summary: `退回修改：${note}`, data: { opinion: note, version: latest(d).n } },
      };
    },
  };
}

function reject(): OutcomeDefinition<PublicationData> {
  return {
    outcome: "reject",
    label: "不予发布",
    fields: [reasonField],
    transition: (ctx) => {
      const d = ctx.case.data;
      const reason = text(ctx.values, "reason")!;
      return {
        status: "rejected",
        done: true,
        data: { ...d, rejection: { reason, byName: actorName(ctx.actor), role: ctx.actor.role ?? "", at: ctx.now.toISOString() } },
        notices: [{ to: { kind: "applicant" }, subject: `【不予发布】${latest(d).title}`, text: `您报送的信息「${latest(d).title}」不予发布。\n理由：${reason}` }],
        event: { type: "publication.rejected", summary: `不予发布：${reason}`, data: { opinion: reason } },
      };
    },
  };
}

function redact(step: "recheck" | "leader_review"): OutcomeDefinition<PublicationData> {
  return {
    outcome: "redact",
    label: "区分处理：删除筛查发现或其他不应公开的内容",
    fields: [
      { name: "passages", type: "list", label: "删除的内容（每行一段，须与正文一致）", required: true, maxItems: 50, maxLength: 500 },
      { name: "reason", type: "text", label: "删除理由", required: true, maxLength: 2000 },
    ],
    check: (ctx) => {
      const missing = (ctx.values.passages as string[]).find((p) => !versionContains(latest(ctx.case.data), p));
      return missing ? [{ path: "passages", code: "not_found", message: `正文中找不到要删除的内容：「${missing.slice(0, 30)}」` }] : [];
    },
    transition: (ctx) => {
      const d = ctx.case.data;
      const passages = ctx.values.passages as string[];
      const reason = text(ctx.values, "reason")!;
      const v = latest(d);
      const data: PublicationData = {
        ...d,
        versions: [...d.versions.slice(0, -1), redactVersion(v, passages)],
        redactions: [...d.redactions, ...passages.map((passage) => ({ version: v.n, passage, reason, byName: actorName(ctx.actor), at: ctx.now.toISOString() }))],
      };
      return {
        data,
        open: [{ step, note: `已区分处理，删除${passages.length}处：${reason}` }],
        event: { type: "publication.redacted", summary: `区分处理，删除${passages.length}处：${reason}`, data: { removed: passages.length, reason } },
      };
    },
  };
}

const secrecyHooks: SecrecyChainHooks<PublicationData> = {
  status: "secrecy_review",
  review: (d) => d.secrecy,
  withReview: (d, secrecy) => ({ ...d, secrecy }),
  contains: (d, passage) => versionContains(latest(d), passage),
  redact: (d, passages) => ({ ...d, versions: [...d.versions.slice(0, -1), redactVersion(latest(d), passages)] }),
  cleared: (_ctx, data, summary) => ({ status: "submitted", data, open: [{ step: "recheck", note: `${summary}，请继续复核` }], event: { type: "secrecy.cleared", summary } }),
  withheld: (ctx, data, reasons) => ({
    status: "rejected",
    done: true,
    data: { ...data, rejection: { reason: `保密审查不予公开：${reasons}`, byName: actorName(ctx.actor), role: ctx.actor.role ?? "", at: ctx.now.toISOString() } },
    notices: [{ to: { kind: "applicant" }, subject: `【不予发布】${latest(data).title}`, text: `您报送的信息「${latest(data).title}」经保密审查不予公开。\n理由：${reasons}` }],
    event: { type: "secrecy.withheld", summary: reasons },
  }),
};

const reviewOutcomes = (step: "recheck" | "leader_review"): OutcomeDefinition<PublicationData>[] => [
  approve(step),
  returnForRevision(),
  reject(),
  redact(step),
  {
    outcome: "request_secrecy_review",
    label: "提请保密审查",
    fields: [{ name: "note", type: "text", label: "提请说明", required: false, maxLength: 2000 }],
    transition: (ctx) => ({
      ...startSecrecyChain(ctx, secrecyHooks, ctx.case.data, text(ctx.values, "note")),
      event: { type: "secrecy.requested", summary: `提请保密审查${text(ctx.values, "note") ? `：${text(ctx.values, "note")}` : ""}` },
    }),
  },
];

/** The catalogue entry of the item as approved (its latest version, ■ where redacted). */
export function publicationEntry(ctx: Ctx, at: { indexNumber: string; year: number; sequence: number; publisher: string }): CatalogueEntry {
  const d = ctx.case.data;
  const v = latest(d);
  return newCatalogueEntry({
    agencyCode: ctx.case.agencyCode,
    indexNumber: at.indexNumber,
    year: at.year,
    sequence: at.sequence,
    kind: "publication",
    caseId: ctx.case.caseId,
    title: v.title,
    column: d.column,
    writtenOn: ctx.today,
    publisher: at.publisher,
    publishedAt: ctx.now.toISOString(),
    publishedOn: ctx.today,
    bodyHtml: v.bodyHtml,
    text: v.text,
    attachments: [...v.images, ...v.attachments].map((f) => ({ name: f.name, key: f.key, contentType: f.contentType, size: f.bytes })),
  });
}

const steps: Record<string, StepDefinition<PublicationData>> = {
  recheck: {
    step: "recheck",
    role: "office_staff",
    title: "办公室复核",
    instructions: "对照内容筛查结果复核信息的合法性、真实性、准确性；有发现的须删除或写明放行理由。",
    periodWorkingDays: 2,
    escalateTo: ["office_director", "deputy_leader"],
    outcomes: reviewOutcomes("recheck"),
  },
  revise: {
    step: "revise",
    role: "info_officer",
    title: "信息员修改后重新报送",
    instructions: "按退回意见修改后重新报送；修改前后的差异会显示给审核人。",
    periodWorkingDays: 5,
    escalateTo: ["section_head"],
    outcomes: [
      {
        outcome: "resubmit",
        label: "修改后重新报送",
        fields: [
          { name: "title", type: "text", label: "标题", required: true, maxLength: 200 },
          { name: "body", type: "text", label: "正文", required: true, maxLength: 100_000 },
          { name: "note", type: "text", label: "修改说明", required: false, maxLength: 2000 },
        ],
        // the new version (sanitized, screened, files stored) is prepared by app/publishing
        refuse: (ctx) => (ctx.extra.version ? undefined : { status: 409, code: "NOT_PREPARED", message: "请通过信息报送页面或 API 重新报送" }),
        transition: (ctx) => {
          const d = ctx.case.data;
          const version = { ...(ctx.extra.version as ContentVersion), n: latest(d).n + 1 };
          const note = text(ctx.values, "note");
          return {
            status: "submitted",
            data: { ...d, versions: [...d.versions, version] },
            open: [{ step: "recheck", note: `信息员已修改后重新报送（第${version.n}稿）${note ? `：${note}` : ""}` }],
            event: { type: "publication.resubmitted", summary: `修改后重新报送（第${version.n}稿）${note ? `：${note}` : ""}`, data: { version: version.n, ...(note ? { opinion: note } : {}) } },
          };
        },
      },
    ],
  },
  leader_review: {
    step: "leader_review",
    role: "deputy_leader",
    title: "分管领导审核",
    instructions: "重要内容由分管领导审核确定后方可对外发布。",
    periodWorkingDays: 2,
    escalateTo: ["principal_leader"],
    outcomes: reviewOutcomes("leader_review"),
  },
  publish: {
    step: "publish",
    role: "web_admin",
    title: "发布",
    instructions: "系统在审核通过后自动发布到所选渠道并登记索引号；未能自动发布的，由网站管理员处理。",
    periodWorkingDays: 1,
    escalateTo: ["office_director"],
    reminders: false,
    automatic: true,
    outcomes: [
      {
        outcome: "published",
        label: "已发布",
        fields: [],
        actors: ["system"],
        transition: (ctx) => {
          const x = ctx.extra as { indexNumber: string; year: number; sequence: number; publisher: string; wechat?: { mediaId: string; publishId: string } };
          const entry = publicationEntry(ctx, x);
          const d = ctx.case.data;
          return {
            status: "published",
            done: true,
            data: { ...d, published: { indexNumber: x.indexNumber, at: ctx.now.toISOString(), on: ctx.today, ...(x.wechat ? { wechat: x.wechat } : {}) } },
            catalogue: { entry },
            notices: [
              {
                to: { kind: "applicant" },
                subject: `【已发布】${entry.title}`,
                text: `您报送的信息「${entry.title}」已发布到${d.channels.map((c) => channelLabels[c]).join("、")}，索引号 ${entry.indexNumber}。`,
              },
            ],
            event: {
              type: "publication.published",
              summary: `已发布到${d.channels.map((c) => channelLabels[c]).join("、")}，索引号 ${entry.indexNumber}`,
              data: { indexNumber: entry.indexNumber, channels: d.channels, ...(x.wechat ? { wechat: x.wechat.publishId } : {}) },
            },
          };
        },
      },
      {
        outcome: "blocked",
        label: "发布前复查发现问题，退回复核",
        fields: [{ name: "note", type: "text", label: "说明", required: true, maxLength: 2000 }],
        actors: ["system"],
        transition: (ctx) => ({
          status: "submitted",
          data: ctx.extra.version ? { ...ctx.case.data, versions: [...ctx.case.data.versions.slice(0, -1), ctx.extra.version as ContentVersion] } : ctx.case.data,
          open: [{ step: "recheck", note: text(ctx.values, "note")! }],
          event: { type: "publication.blocked", summary: text(ctx.values, "note")! },
        }),
      },
    ],
  },
  ...secrecyChainSteps(secrecyHooks),
};

export const publicationWorkflow: WorkflowDefinition<PublicationData> = {
  workflow: "publication",
  label: "信息发布",
  statuses: {
    submitted: "待办公室复核",
    returned: "退回修改",
    secrecy_review: "保密审查中",
    leader_review: "待分管领导审核",
    publishing: "发布中",
    published: "已发布",
    rejected: "不予发布",
  },
  terminal: ["published", "rejected"],
  start: { step: "recheck", status: "submitted" },
  steps,
  deadlines: { [secrecyConsultationDeadline.name]: secrecyConsultationDeadline },
  searchText: (c) => [c.reference, latest(c.data).title, c.data.submitter.displayName, c.data.published?.indexNumber].filter(Boolean).join(" "),
  // the info officer who submitted it hears of returns, rejection and publication
  applicant: (c) => ({ name: c.data.submitter.displayName, ...(c.data.submitter.email ? { email: c.data.submitter.email } : {}) }),
  party: (c) => `${latest(c.data).title}（${c.data.submitter.section ?? roleLabel("info_officer")}）`,
  viewRoles: ["info_officer", "section_head", "office_staff", "office_director", "deputy_leader", "principal_leader", "web_admin", "wechat_admin", "auditor"],
  personalDataRoles: ["office_staff", "office_director", "deputy_leader", "principal_leader"],
};
