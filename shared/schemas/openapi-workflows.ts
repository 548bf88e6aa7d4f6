/**
 * The body of `POST /api/v1/tasks/{taskId}/complete`, generated from the workflow
 * definitions (shared/domain/workflows): one schema per workflow step, a `oneOf` of its
 * outcomes discriminated by `outcome`, each outcome's properties generated from its
 * `OutcomeField`s exactly as `validateOutcomeFields` reads them. Adding a workflow, a step,
 * an outcome or a field adds its documentation here with no hand-written line.
 */
import type { AnyOutcome, AnyStep, AnyWorkflow, OutcomeField } from "../domain/workflows";
import { workflows as allWorkflows } from "../domain/workflows";
import { roleLabel } from "../domain/roles";
import { replyGrounds, replyTypes, resultCellLabel, resultCellOf, type ReplyType } from "../domain/report/cells";
import { groundLabels, replyTypeLabels } from "../domain/workflows/application/labels";
import type { JsonSchema } from "./openapi-json";
import { ref } from "./openapi-json";

/** JSON Schema of each kind of outcome field (the JSON form; HTML forms post the same as strings). */
const schemaOfType: { [K in OutcomeField["type"]]: (f: OutcomeField) => JsonSchema } = {
  date: () => ({ type: "string", format: "date" }),
  text: (f) => ({ type: "string", ...(f.required ? { minLength: 1 } : {}), ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}) }),
  choice: (f) => ({ type: "string", enum: (f.choices ?? []).map((c) => c.value) }),
  integer: (f) => ({ type: "integer", ...(f.min !== undefined ? { minimum: f.min } : {}), ...(f.max !== undefined ? { maximum: f.max } : {}) }),
  list: (f) => ({
    type: "array",
    items: { type: "string", ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}) },
    ...(f.required ? { minItems: 1 } : {}),
    ...(f.maxItems !== undefined ? { maxItems: f.maxItems } : {}),
  }),
};

/** Every kind of outcome field the document knows (all of `OutcomeField["type"]`). */
export const outcomeFieldTypes = Object.keys(schemaOfType) as Array<OutcomeField["type"]>;

const typeNotes: { [K in OutcomeField["type"]]: (f: OutcomeField) => string } = {
  date: () => "日期，格式 YYYY-MM-DD",
  text: (f) => `文本（去除首尾空格${f.maxLength !== undefined ? `，最多 ${f.maxLength} 个字` : ""}）`,
  choice: (f) => `选项：${(f.choices ?? []).map((c) => `${c.value} ${c.label}`).join("；")}`,
  integer: (f) =>
    `整数${f.min !== undefined && f.max !== undefined ? `，${f.min} 至 ${f.max}` : f.min !== undefined ? `，不小于 ${f.min}` : f.max !== undefined ? `，不大于 ${f.max}` : ""}（也接受数字字符串）`,
  list: (f) =>
    `文本列表${f.maxItems !== undefined ? `，最多 ${f.maxItems} 项` : ""}${f.maxLength !== undefined ? `，每项最多 ${f.maxLength} 个字` : ""}；也可提交为每行一项的字符串，空行忽略`,
};

function requirement(f: OutcomeField, fields: OutcomeField[]): string {
  if (f.required) return "必填";
  if (!f.requiredWhen) return "选填";
  const other = fields.find((x) => x.name === f.requiredWhen!.field);
  const values = f.requiredWhen.values.map((v) => {
    const label = other?.choices?.find((c) => c.value === v)?.label;
    return label ? `${v}（${label}）` : v;
  });
  return `当 ${f.requiredWhen.field} 为 ${values.join("、")} 时必填，否则选填`;
}

// ---- the reply types and grounds of SPEC §7.1, with their annual-report cells ----------------

/** Fields of the outcome required for a reply type (`requiredWhen` on `replyType`), e.g. `where` for already_published. */
function fieldsRequiredFor(replyType: string, fields: OutcomeField[]): string[] {
  return fields.filter((f) => f.name !== "ground" && f.requiredWhen?.field === "replyType" && f.requiredWhen.values.includes(replyType)).map((f) => f.name);
}

/** The table of SPEC §7.1: each reply type (and ground) with the one annual-report cell it counts in (shared/domain/report/cells.ts). */
export function replyTypeTable(fields: OutcomeField[]): string {
  const offered = new Set(fields.find((f) => f.name === "replyType")?.choices?.map((c) => c.value) ?? replyTypes);
  const rows = replyTypes.flatMap((t: ReplyType) => {
    const extra = fieldsRequiredFor(t, fields);
    const note = [
      extra.length ? `需填写 ${extra.join("、")}` : "",
      offered.has(t) ? "" : "由系统设定，不能在此选择",
    ].filter(Boolean).join("；");
    const grounds = (replyGrounds as Record<string, readonly string[]>)[t];
    if (!grounds) return [`| \`${t}\` | ${replyTypeLabels[t]}${note ? `（${note}）` : ""} | — | ${resultCellLabel(resultCellOf(t))} |`];
    return grounds.map((g) => `| \`${t}\` | ${replyTypeLabels[t]}${note ? `（${note}）` : ""} | \`${g}\` ${groundLabels[g] ?? g} | ${resultCellLabel(resultCellOf(t, g))} |`);
  });
  return ["| replyType | 答复类型 | ground（具体情形） | 年度报告统计栏目 |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** Each ground with the reply type it belongs to and its annual-report cell. */
export function groundTable(): string {
  const rows = Object.entries(replyGrounds as Record<string, readonly string[]>).flatMap(([t, grounds]) =>
    grounds.map((g) => `| \`${g}\` | ${groundLabels[g] ?? g} | \`${t}\` ${replyTypeLabels[t as ReplyType]} | ${resultCellLabel(resultCellOf(t as ReplyType, g))} |`),
  );
  return ["| ground | 具体情形 | 所属 replyType | 年度报告统计栏目 |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** More said about a field by its name, wherever it appears (the report's reply types and grounds). */
const fieldNotes: Record<string, (fields: OutcomeField[]) => string> = {
  replyType: (fields) =>
    `答复类型与具体情形决定答复书的种类和年度报告（SPEC §5.1）中计入的唯一栏目：\n\n${replyTypeTable(fields)}`,
  ground: () => `不予公开、无法提供、不予处理须选择具体情形，且须属于所选答复类型；其他答复类型不能选择具体情形：\n\n${groundTable()}`,
};

/** The JSON Schema of one outcome field, with its label, requirement, hint and choices in Chinese. */
export function outcomeFieldSchema(f: OutcomeField, fields: OutcomeField[]): JsonSchema {
  const note = fieldNotes[f.name]?.(fields);
  const description = [`${f.label}（${requirement(f, fields)}）。${typeNotes[f.type](f)}。`, f.hint ?? "", note ?? ""].filter(Boolean).join("\n\n");
  return {
    ...schemaOfType[f.type](f),
    title: f.label,
    description,
    ...(f.requiredWhen ? { "x-required-when": f.requiredWhen } : {}),
  };
}

// ---- outcomes and steps ---------------------------------------------------------------------

const actorText: Record<string, string> = {
  staff: "工作人员（本环节的办理角色，或待办逾期后被督办的角色）",
  applicant: "申请人（通过补正接口在线提交）",
  system: "系统（期限届满时由定时任务自动办理）",
};

export const stepSchemaName = (workflow: string, step: string) => `TaskCompletion.${workflow}.${step}`;
export const outcomeSchemaName = (workflow: string, step: string, outcome: string) => `TaskCompletion.${workflow}.${step}.${outcome}`;

function outcomeSchema(w: AnyWorkflow, s: AnyStep, o: AnyOutcome): JsonSchema {
  const actors = o.actors ?? ["staff"];
  const expiring = Object.values(w.deadlines).filter((d) => d.onExpiry?.step === s.step && d.onExpiry.outcome === o.outcome);
  const notes = [
    `可由${actors.map((a) => actorText[a] ?? a).join("、")}选择。`,
    actors.includes("staff") ? "" : "工作人员通过本接口提交此结果将答复 403。",
    ...expiring.map((d) => `“${d.label}”（${d.periodWorkingDays} 个工作日）届满时系统自动选择此结果。`),
    o.fields.length === 0 ? "无需填写其他字段。" : "",
    o.unavailable ? "案件当前状态不允许时答复 409（OUTCOME_UNAVAILABLE），原因见待办的 unavailableOutcomes。" : "",
    o.check ? "另有跨字段及与案件情况相符的校验，不符时答复 400 并指明字段。" : "",
    o.refuse ? "法律规定不能办理时（如期限已过、已延期过）答复 409 或 422。" : "",
  ].filter(Boolean);
  const conditional = o.fields
    .filter((f) => f.requiredWhen)
    .map((f) => ({
      if: { properties: { [f.requiredWhen!.field]: { enum: f.requiredWhen!.values } }, required: [f.requiredWhen!.field] },
      then: { required: [f.name] },
    }));
  return {
    type: "object",
    title: `${s.title}：${o.label}`,
    description: `${o.label}。${notes.join("")}`,
    required: ["outcome", ...o.fields.filter((f) => f.required).map((f) => f.name)],
    properties: {
      outcome: { type: "string", const: o.outcome, description: `办理结果：${o.label}` },
      ...Object.fromEntries(o.fields.map((f) => [f.name, outcomeFieldSchema(f, o.fields)])),
    },
    ...(conditional.length ? { allOf: conditional } : {}),
    "x-actors": actors,
  };
}

function period(w: AnyWorkflow, s: AnyStep): string {
  const with_ = s.dueWith ? w.deadlines[s.dueWith] : undefined;
  if (with_) return `与案件期限“${with_.label}”同时到期（该期限一般为 ${with_.periodWorkingDays} 个工作日，以案件中实际起算、暂停和调整后的为准）`;
  return `${s.periodWorkingDays} 个工作日（自待办开启之日起算，开启当日不计）`;
}

function stepSchema(w: AnyWorkflow, s: AnyStep): JsonSchema {
  const escalation =
    (s.reminders === false ? "不发送中途提醒；" : "") +
    (s.escalateTo.length ? `逾期依次提醒${s.escalateTo.map((r) => `${roleLabel(r)}（${r}）`).join("、")}督办。` : "逾期不升级。");
  return {
    title: `${w.label} · ${s.title}`,
    description:
      `流程 \`${w.workflow}\`（${w.label}）的环节 \`${s.step}\`「${s.title}」。` +
      `办理角色：${roleLabel(s.role)}（${s.role}）。办理期限：${period(w, s)}。${escalation}${s.instructions}\n\n` +
      `办理结果（outcome）：${s.outcomes.map((o) => `\`${o.outcome}\` ${o.label}`).join("；")}。`,
    oneOf: s.outcomes.map((o) => ref(outcomeSchemaName(w.workflow, s.step, o.outcome))),
    discriminator: {
      propertyName: "outcome",
      mapping: Object.fromEntries(s.outcomes.map((o) => [o.outcome, `#/components/schemas/${outcomeSchemaName(w.workflow, s.step, o.outcome)}`])),
    },
    "x-workflow": w.workflow,
    "x-step": s.step,
    "x-role": s.role,
    "x-period-working-days": s.periodWorkingDays,
    ...(s.dueWith ? { "x-due-with": s.dueWith } : {}),
  };
}

export const TASK_COMPLETION = "TaskCompletion";

/**
 * The components of the task-completion body: `TaskCompletion` (any step's schema: the
 * step is the task's, not part of the body), one schema per step and one per outcome.
 */
export function taskCompletionComponents(definitions: Record<string, AnyWorkflow> = allWorkflows): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const steps: JsonSchema[] = [];
  for (const w of Object.values(definitions)) {
    for (const s of Object.values(w.steps)) {
      out[stepSchemaName(w.workflow, s.step)] = stepSchema(w, s);
      steps.push(ref(stepSchemaName(w.workflow, s.step)));
      for (const o of s.outcomes) out[outcomeSchemaName(w.workflow, s.step, o.outcome)] = outcomeSchema(w, s, o);
    }
  }
  const index = Object.values(definitions)
    .flatMap((w) => Object.values(w.steps).map((s) => `- \`${w.workflow}\` / \`${s.step}\` ${s.title}（${roleLabel(s.role)}）：${s.outcomes.map((o) => `\`${o.outcome}\``).join("、")}`))
    .join("\n");
  out[TASK_COMPLETION] = {
    title: "办结待办",
    description:
      "`{\"outcome\", ...fields}`：结构取决于待办所属的流程和环节（GET /api/v1/tasks 返回每个待办的 workflow、step 和当前可选的 allowedOutcomes 及其字段），" +
      "按 outcome 填写该结果的字段；未列出的字段忽略，字符串去除首尾空格，空字符串视为未填写。各流程的环节和办理结果：\n\n" +
      index,
    anyOf: steps,
  };
  return out;
}
