import * as z from "zod";
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, ValidationError, type FieldError } from "../errors";
import { applyDecision } from "../engine/apply";
import { decideOrRefuse } from "../engine/run-outcome";
import { checkText } from "../../domain/text";
import { shanghaiDate } from "../../domain/calendar";
import { newCaseRecord } from "../../domain/workflows/engine";
import { consultationWorkflow } from "../../domain/workflows";
import {
  consultationSituations,
  explanationPartLabels,
  explanationParts,
  situationLabels,
  type ConsultationData,
  type ConsultationSituation,
  type DraftingExplanation,
} from "../../domain/workflows/consultation/data";
import { logger } from "../../adapters/logger";

/**
 * `POST /api/v1/consultations` (SPEC §7.3): the drafting section submits a draft normative
 * document with its drafting explanation (第五条: all four parts), the 第七条 situations and
 * the 第九条/第十条 interests that apply, or its 第四条 exemption with the reason. Bad input
 * is answered 400 naming each field and nothing is stored; a good one opens the case with
 * every task it needs at once (publication, records, submission) in one transaction.
 */

/** Size limits: the case is one item, comments included (see public.ts). */
export const consultationLimits = { title: 200, draft: 20_000, explanationPart: 5_000, exemptReason: 2_000 } as const;

const DRAFTING_ROLES = ["section_head", "info_officer"] as const;

const asObject = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

function text(b: Record<string, unknown>, name: string, path: string, label: string, max: number, errors: FieldError[], required = true): string | undefined {
  const raw = b[name];
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) {
    if (required) errors.push({ path, code: "required", message: `请填写${label}` });
    return undefined;
  }
  if (typeof raw !== "string") {
    errors.push({ path, code: "wrong_type", message: `${label}应为文本` });
    return undefined;
  }
  const value = raw.trim();
  const dirty = checkText(label, value, { multiline: max > 200 });
  if (dirty) errors.push({ path, ...dirty });
  else if (value.length > max) errors.push({ path, code: "too_long", message: `${label}不能超过 ${max} 个字` });
  else return value;
  return undefined;
}

function flag(b: Record<string, unknown>, name: string, label: string, errors: FieldError[]): boolean {
  const v = b[name];
  if (v === undefined || v === null || v === false || v === "" || v === "false") return false;
  if (v === true || v === "true" || v === "on") return true;
  errors.push({ path: name, code: "wrong_type", message: `${label}应为 true 或 false` });
  return false;
}

const situationsSchema = z.array(z.enum(consultationSituations)).max(consultationSituations.length);

export interface ConsultationInput {
  title: string;
  draft: string;
  explanation: DraftingExplanation;
  situations: ConsultationSituation[];
  publicInterest: boolean;
  sectorInterests: boolean;
  exempt?: { reason: string };
  section?: string;
}

/** Checks a submission: every problem at once, each on its field. */
export function parseConsultationInput(body: unknown): { input?: ConsultationInput; errors: FieldError[] } {
  const b = asObject(body) ?? {};
  const errors: FieldError[] = [];
  const title = text(b, "title", "title", "草案标题", consultationLimits.title, errors);
  const draft = text(b, "draft", "draft", "草案正文", consultationLimits.draft, errors);
  const e = asObject(b.explanation);
  if (b.explanation !== undefined && !e) errors.push({ path: "explanation", code: "wrong_type", message: "起草说明应为对象：necessity、problems、measures、process" });
  const explanation: Partial<DraftingExplanation> = {};
  for (const part of explanationParts) {
    const v = text(e ?? {}, part, `explanation.${part}`, `起草说明中的“${explanationPartLabels[part]}”`, consultationLimits.explanationPart, errors);
    if (v) explanation[part] = v;
  }
  let situations: ConsultationSituation[] = [];
  if (b.situations !== undefined && b.situations !== null) {
    const parsed = situationsSchema.safeParse(typeof b.situations === "string" ? [b.situations] : b.situations);
    if (!parsed.success) errors.push({ path: "situations", code: "invalid_choice", message: `第七条情形无效（可选：${consultationSituations.join("、")}）` });
    else situations = [...new Set(parsed.data)];
  }
  const publicInterest = flag(b, "publicInterest", "是否涉及重大公共利益（第九条）", errors);
  const sectorInterests = flag(b, "sectorInterests", "是否涉及特定团体、行业利益（第十条）", errors);
  let exempt: { reason: string } | undefined;
  if (b.exempt !== undefined && b.exempt !== null && b.exempt !== false) {
    const x = asObject(b.exempt);
    if (!x) errors.push({ path: "exempt", code: "wrong_type", message: "不公开征求意见应为对象 {reason}" });
    else {
      const reason = text(x, "reason", "exempt.reason", "不公开征求意见的理由（第四条：依法不得公开或者应急性的事项）", consultationLimits.exemptReason, errors);
      if (reason) exempt = { reason };
    }
  }
  const section = text(b, "section", "section", "起草科室", 100, errors, false);
  if (errors.length) return { errors };
  return {
    input: { title: title!, draft: draft!, explanation: explanation as DraftingExplanation, situations, publicInterest, sectorInterests, ...(exempt ? { exempt } : {}), ...(section ? { section } : {}) },
    errors,
  };
}

export async function submitConsultation(deps: AppDeps, principal: StaffPrincipal, body: unknown): Promise<{ caseId: string; reference: string; status: string }> {
  const role = DRAFTING_ROLES.find((r) => principal.roles.includes(r));
  if (!role) throw new ForbiddenError("只有起草科室（科室负责人、信息员）可以报送草案");
  const { input, errors } = parseConsultationInput(body);
  if (!input) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);
  const now = deps.clock.now();
  const email = (await deps.store.directory.user(principal.agencyCode, principal.username))?.email;
  const data: ConsultationData = {
    title: input.title,
    draft: input.draft,
    explanation: input.explanation,
    situations: input.situations,
    publicInterest: input.publicInterest,
    sectorInterests: input.sectorInterests,
    ...(input.exempt ? { exempt: input.exempt } : {}),
    drafter: { username: principal.username, displayName: principal.displayName, ...(email ? { email } : {}), ...(input.section ? { section: input.section } : {}) },
    comments: [],
    unitLetters: [],
  };
  const year = Number(shanghaiDate(now).slice(0, 4));
  const reference = `ZQ-${year}-${String(await deps.store.counters.next(principal.agencyCode, `ZQ#${year}`)).padStart(5, "0")}`;
  const record = newCaseRecord(consultationWorkflow, { caseId: deps.newId(), agencyCode: principal.agencyCode, reference, now, data });
  const decision = decideOrRefuse({
    definition: consultationWorkflow,
    case: record,
    openTasks: [],
    outcome: "opened",
    input: {},
    actor: { kind: "system", displayName: "系统" },
    calendar: await deps.calendar(),
    now,
    newId: deps.newId,
  });
  const situations = input.situations.map((s) => situationLabels[s]).join("；");
  const stored = await applyDecision(deps, decision, {
    events: [
      {
        actor: { kind: "staff", username: principal.username, displayName: principal.displayName, role },
        type: "consultation.submitted",
        summary: input.exempt
          ? `报送草案《${input.title}》，依第四条不公开征求意见：${input.exempt.reason}`
          : `报送草案《${input.title}》及起草说明，申请公开征求意见${situations ? `；属于第七条情形（${situations}），须组织专家咨询论证` : ""}`,
        data: { exempt: Boolean(input.exempt), situations: input.situations, publicInterest: input.publicInterest, sectorInterests: input.sectorInterests },
      },
    ],
  });
  logger.info("consultation submitted", { agencyCode: principal.agencyCode, caseId: stored.caseId, reference, exempt: Boolean(input.exempt) });
  return { caseId: stored.caseId, reference, status: stored.status };
}
