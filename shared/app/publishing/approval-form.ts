import type { AppDeps } from "../deps";
import type { ApprovalForm, ApprovalSignature } from "../../domain/approval-form";
import type { AuditEvent, CaseRecord } from "../../domain/records";
import { roleLabel } from "../../domain/roles";
import { outcomeDefinition, workflowDefinition } from "../../domain/workflows";
import { columnLabel } from "../../domain/catalogue/columns";
import { channelLabels, latest, openFindings, type PublicationData } from "../../domain/workflows/publication/data";
import { disclosureAttributeLabels, type DocumentData } from "../../domain/workflows/document/definition";

/**
 * The approval form 《信息公开审批表》 of an item or a document, from its audit trail: every
 * person who submitted, reviewed, returned, redacted, signed or published it, in order,
 * with the step, their role, the moment and their opinion.
 */

function signatureOf(c: CaseRecord, e: AuditEvent): ApprovalSignature | undefined {
  const d = e.data ?? {};
  const step = typeof d.step === "string" ? d.step : undefined;
  const outcome = typeof d.outcome === "string" ? d.outcome : undefined;
  const definition = workflowDefinition(c.workflow);
  const name = e.actor.displayName ?? (e.actor.kind === "system" ? "系统" : "工作人员");
  const opinion = typeof d.opinion === "string" ? d.opinion : undefined;
  if (e.type.endsWith(".submitted")) {
    return { stepLabel: "报送", roleLabel: e.actor.role ? roleLabel(e.actor.role) : "", name, at: e.at, decisionLabel: "报送", opinion: e.summary };
  }
  if (!step || !outcome) return undefined;
  const stepDef = definition.steps[step];
  if (!stepDef) return undefined;
  const label = outcomeDefinition(c.workflow, step, outcome)?.label ?? outcome;
  return {
    stepLabel: stepDef.title,
    roleLabel: e.actor.role ? roleLabel(e.actor.role) : e.actor.kind === "system" ? "系统" : roleLabel(stepDef.role),
    name,
    at: e.at,
    decisionLabel: label,
    ...(opinion ? { opinion } : e.actor.kind === "system" ? { opinion: e.summary } : {}),
  };
}

export function approvalFormOf(c: CaseRecord, events: AuditEvent[], agencyName: string): ApprovalForm {
  const signatures = events.flatMap((e) => signatureOf(c, e) ?? []);
  if (c.workflow === "publication") {
    const d = c.data as unknown as PublicationData;
    const v = latest(d);
    const open = openFindings(d);
    return {
      agencyName,
      reference: c.reference,
      title: v.title,
      kindLabel: "网站/微信信息",
      fields: [
        { label: "报送科室", value: d.submitter.section ?? "—" },
        { label: "信息员", value: d.submitter.displayName },
        { label: "拟发布渠道", value: d.channels.map((ch) => channelLabels[ch]).join("、") },
        { label: "目录栏目", value: columnLabel(d.column) },
        { label: "是否重要内容", value: d.important ? "是（报分管领导审核）" : "否" },
        { label: "稿次", value: `第${v.n}稿` },
        { label: "索引号", value: d.published?.indexNumber ?? "（发布时生成）" },
      ],
      signatures,
      screening: {
        findings: v.screening.findings.length,
        overridden: d.overrides.filter((o) => o.version === v.n).length,
        redacted: d.redactions.length,
        unscreened: open.unscreened.length,
      },
    };
  }
  const d = c.data as unknown as DocumentData;
  return {
    agencyName,
    reference: c.reference,
    title: d.title,
    kindLabel: "公文",
    fields: [
      { label: "拟稿科室", value: d.drafter.section ?? "—" },
      { label: "拟稿人", value: d.drafter.displayName },
      { label: "拟定公开属性", value: `${disclosureAttributeLabels[d.proposal.attribute]}${d.proposal.reason ? `（${d.proposal.reason}）` : ""}` },
      { label: "审定公开属性", value: `${disclosureAttributeLabels[d.attribute]}${d.attributeReason ? `（${d.attributeReason}）` : ""}` },
      { label: "文号", value: d.issued?.documentNumber ?? "（印发时登记）" },
      { label: "印发日期", value: d.issued?.issuedOn ?? "—" },
      { label: "索引号", value: d.published?.indexNumber ?? (d.attribute === "proactive" ? "（发布时生成）" : "不在目录发布") },
    ],
    signatures,
  };
}

/** The form of a case the caller may see (the route checks the caller's agency and roles). */
export async function loadApprovalForm(deps: AppDeps, c: CaseRecord): Promise<ApprovalForm> {
  const [events, agency] = await Promise.all([deps.store.cases.events(c.caseId), deps.store.directory.agency(c.agencyCode)]);
  return approvalFormOf(c, events, agency?.name ?? c.agencyCode);
}
