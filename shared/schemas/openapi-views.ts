/**
 * Response bodies of the OpenAPI document. They are produced, not parsed, so there is no
 * zod schema to derive them from: each is written against the TypeScript view it
 * describes (`objectOf<View>`), so `npm run typecheck` fails when a view gains, loses or
 * changes the optionality of a field the document does not follow. Enumerations and
 * labels come from their data (workflow definitions, roles, letter kinds, zod schemas).
 */
import type { ApplicantView } from "../app/applications/applicant";
import type { SubmittedApplication, enterApplication } from "../app/applications/intake";
import type { DeadlineView, StaffCaseView } from "../app/views/case";
import type { CaseSummary } from "../app/views/search";
import type { OutcomeView, TaskView } from "../app/views/tasks";
import type { CalendarYearRow } from "../app/calendar/list-years";
import type { ExplanationStep } from "../domain/calendar";
import type { Actor } from "../domain/audit";
import type { AuditEvent, CaseResult, LetterRecord } from "../domain/records";
import type { OutcomeField } from "../domain/workflows";
import { workflows } from "../domain/workflows";
import { applicationDataSchema, channelLabels } from "../domain/workflows/application/data";
import { applicationFieldLabels } from "./application";
import { roleLabels, roles } from "../domain/roles";
import { letterKinds } from "../domain/letters/kinds";
import { letterTitle } from "../domain/letters/common";
import { resultCells } from "../domain/report/cells";
import { replyTypeLabels } from "../domain/workflows/application/labels";
import { outcomeFieldTypes } from "./openapi-workflows";
import { yearScheduleSchema } from "./requests";
import { bool, int, isoDate, isoInstant, jsonSchemaOf, list, nullable, objectOf, ref, text, type JsonSchema } from "./openapi-json";

/**
 * Chinese names of the application case's own data (shared/domain/workflows/application/data.ts
 * carries no zod descriptions): by dotted path where the name alone would mislead, then by the
 * name an outcome field or an application field gives it.
 */
const caseDataLabels: Record<string, string> = {
  submittedAt: "提交（录入）时刻",
  submittedOn: "提交（录入）日期",
  signedForOn: "挂号信件的签收日期",
  enteredReceivedOn: "办公室录入的收到日期",
  receivedOn: "收到申请之日（第三十一条）",
  receiptRule: "确定收到申请之日所依据的规定",
  applicantKey: "申请人标识（证件号码或信用代码的散列，用于识别同一申请人）",
  applicantColumn: "申请人在年度报告中的统计列",
  attachments: "附件",
  "attachments.key": "存储位置",
  "attachments.name": "文件名",
  "attachments.contentType": "文件类型",
  "attachments.bytes": "字节数",
  correction: "补正：事项、期限、收到情况",
  "correction.items": "需要补正的事项",
  "correction.workingDays": "补正期限（工作日）",
  "correction.proposedOn": "提出补正意见日期",
  "correction.requestedOn": "发出补正告知日期",
  "correction.dueOn": "补正期限届满日",
  "correction.receivedOn": "收到补正日期",
  "correction.via": "补正方式：online 在线；letter 书面",
  "correction.changed": "补正的字段",
  "correction.note": "补正内容摘要",
  consultations: "征求意见（第三方、其他机关），按发出先后",
  "consultations.kind": "third_party 第三方；agency 其他机关",
  "consultations.party": "第三方或机关的名称",
  "consultations.contact": "联系方式",
  "consultations.address": "通信地址",
  "consultations.email": "电子邮箱",
  "consultations.askedOn": "发出征求意见日期",
  "consultations.replyDueOn": "答复期限",
  "consultations.answeredOn": "收到意见（或逾期）日期",
  "consultations.summary": "意见摘要",
  "consultations.silent": "逾期未提出意见",
  secrecy: "保密审查",
  "secrecy.decision": "cleared 可以公开；withhold 不宜公开；referred 已提交保密工作部门；outside_answered 保密工作部门已答复",
  "secrecy.note": "审查意见",
  "secrecy.outside": "保密工作部门的答复",
  "secrecy.outside.summary": "答复摘要",
  "secrecy.on": "日期",
  extensionRequest: "待审批的延期答复意见",
  "extensionRequest.requestedOn": "提出日期",
  extension: "已批准的延期",
  "extension.approvedOn": "批准日期",
  "extension.newDueOn": "延长后的答复期限",
  proposal: "拟答复意见",
  "proposal.proposedOn": "提出日期",
  fee: "信息处理费（国办函〔2020〕109号）：计算、收费通知、缴费",
  "fee.method": "per_application 按件计收；per_volume 按量计收",
  "fee.month": "计算件数的自然月",
  "fee.counted": "本月在本件之前计入的该申请人的申请",
  "fee.counted.caseId": "案件编号",
  "fee.counted.reference": "申请编号",
  "fee.counted.at": "提交时刻",
  "fee.ordinals": "本件在本月的件次（按“一事一申请”拆分时为起止件次）",
  "fee.ordinals.from": "起始件次",
  "fee.ordinals.to": "截止件次",
  "fee.pages": "按量计收的页数",
  "fee.lines": "分档计算",
  "fee.lines.item": "件次或页码范围",
  "fee.lines.units": "件数或页数",
  "fee.lines.rate": "单价（元）",
  "fee.lines.amount": "金额（元）",
  "fee.lines.tier": "适用的收费档次",
  "fee.standardYuan": "按标准计算的金额（元）",
  "fee.exemption": "减免",
  "fee.exemption.reason": "减免理由",
  "fee.exemption.toYuan": "减免后应缴金额（元）",
  "fee.amountYuan": "应缴金额（元）",
  "fee.explanation": "计算说明，逐句",
  "fee.howToPay": "缴纳方式",
  "fee.proposedOn": "提出收费意见日期",
  "fee.noticeIssuedOn": "收费通知发出日期",
  "fee.paymentDueOn": "缴纳期限届满日",
  "fee.waivedOn": "决定免收日期",
  "fee.paid": "缴费登记",
  "fee.paid.amountYuan": "缴费金额（元）",
  "fee.paid.paidOn": "缴费日期",
  "fee.paid.receiptNumber": "票据号码",
  "fee.paid.recordedOn": "登记日期",
  "fee.unpaidOn": "逾期未缴纳、视为放弃申请的日期",
  signals: "办理提示（第三十五条等）",
  "signals.applicationsThisMonth": "该申请人本月的申请数",
  "signals.sameInformation": "申请相同信息的其他申请编号",
  "signals.possibleRepeatOf": "可能重复的申请编号",
};

/** Outcome fields' labels by name, from the workflow definitions (the first one of each name). */
function outcomeFieldLabels(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of Object.values(workflows)) for (const s of Object.values(w.steps)) for (const o of s.outcomes) for (const f of o.fields) out[f.name] ??= f.label;
  return out;
}

/** Gives every property under the schema without a description its Chinese name. */
function labelled(schema: JsonSchema, byName: Record<string, string>, path = ""): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const items = schema.items as JsonSchema | undefined;
  return {
    ...schema,
    ...(properties
      ? {
          properties: Object.fromEntries(
            Object.entries(properties).map(([name, p]) => {
              const at = path ? `${path}.${name}` : name;
              const label = caseDataLabels[at] ?? byName[name];
              return [name, labelled(p.description || !label ? p : { ...p, description: label }, byName, at)];
            }),
          ),
        }
      : {}),
    ...(items ? { items: labelled(items, byName, path) } : {}),
  };
}

type KnownKeys<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
type Entered = Awaited<ReturnType<typeof enterApplication>>;

const allStatuses = (): Record<string, string> => Object.assign({}, ...Object.values(workflows).map((w) => w.statuses));
const allSteps = () => Object.values(workflows).flatMap((w) => Object.values(w.steps).map((s) => ({ workflow: w.workflow, ...s })));
const letterKindList = () =>
  letterKinds.map((k) => (k.startsWith("reply_") ? `${k} ${letterTitle(k)}（${replyTypeLabels[k.slice(6) as keyof typeof replyTypeLabels] ?? ""}）` : `${k} ${letterTitle(k)}`)).join("；");

export function viewComponents(): Record<string, JsonSchema> {
  const statuses = allStatuses();
  const workflowEnum = { type: "string", enum: Object.keys(workflows), description: `流程：${Object.values(workflows).map((w) => `${w.workflow} ${w.label}`).join("；")}` };
  const stepText = text(`环节：${allSteps().map((s) => `${s.step} ${s.title}`).join("；")}（今后可能增加）`);

  const dataSchema = labelled(jsonSchemaOf(applicationDataSchema, "output"), { ...applicationFieldLabels, ...outcomeFieldLabels() });
  const { application: _application, ...dataProperties } = (dataSchema.properties ?? {}) as Record<string, JsonSchema>;

  const staffCase: { [K in keyof KnownKeys<StaffCaseView["case"]>]-?: JsonSchema } = {
    caseId: text("案件编号"),
    workflow: workflowEnum,
    status: ref("CaseStatus"),
    statusLabel: text("办理状态的中文名称"),
    trackingNumber: text("申请编号"),
    reference: text("案件的编号"),
    receivedOn: nullable(isoDate("收到申请之日")),
    dueOn: nullable(isoDate("法定答复期限")),
    dueIsProvisional: bool("期限为暂定"),
    flags: list(text("标记"), "标记，如 answer_overdue（答复逾期）"),
    result: nullable({ ...ref("CaseResult"), description: "办结结果及计入的年度报告栏目；未办结为 null" }),
  };

  return {
    CaseStatus: {
      type: "string",
      description: `办理状态（今后可能增加取值）：${Object.entries(statuses).map(([k, v]) => `${k} ${v}`).join("；")}`,
      examples: Object.keys(statuses),
    },
    Role: { type: "string", enum: [...roles], description: `角色：${Object.entries(roleLabels).map(([k, v]) => `${k} ${v}`).join("；")}` },
    LetterKind: { type: "string", description: `文书种类（今后可能增加）：${letterKindList()}`, examples: [...letterKinds] },

    // ---- public
    ApplicationCreated: objectOf<Pick<SubmittedApplication, "trackingNumber" | "accessCode" | "status">>(
      "已收到申请",
      {
        trackingNumber: text("申请编号，格式为“机关代码-年份-序号”，如 001008010002002-2026-00001"),
        accessCode: text("查询码：只在此返回一次（带 Idempotency-Key 的重复请求返回同一个），请申请人妥善保存；遗失可通过 access-code 接口发送新的查询码到申请时填写的邮箱"),
        status: ref("CaseStatus"),
      },
      {},
    ),
    ApplicantView: objectOf<ApplicantView>(
      "申请人看到的办理情况（只含申请人可见的办理过程和寄给申请人的文书）",
      {
        trackingNumber: text("申请编号"),
        status: ref("CaseStatus"),
        statusText: text("办理状态的中文说明（面向申请人的措辞）"),
        receivedOn: nullable(isoDate("收到申请之日（《政府信息公开条例》第三十一条）；网上申请以办公室确认之日为准，确认前为 null")),
        dueOn: nullable(isoDate("法定答复期限（按工作日计算）；尚未起算为 null")),
        dueIsProvisional: bool("期限跨入尚未公布放假安排的年份时为 true（暂定，公布后重新计算）"),
        duePaused: bool("答复期限暂停计算（等待补正、第三方或其他机关意见期间）"),
        workingDaysLeft: nullable(int("距答复期限的工作日数（0 为当日到期，负数为已逾期）；未起算为 null")),
        events: list(
          objectOf<ApplicantView["events"][number]>("办理过程", { at: isoInstant("发生时间"), type: text("事件类型，如 application.registered"), summary: text("中文说明") }, {}),
          "申请人可见的办理过程，按时间先后",
        ),
        letters: list(
          objectOf<ApplicantView["letters"][number]>(
            "寄给申请人的文书",
            {
              letterId: text("文书编号，用于下载：GET /api/v1/applications/{trackingNumber}/letters/{letterId}"),
              kind: ref("LetterKind"),
              title: text("文书标题"),
              number: text("文号，如 黄行服依复〔2026〕3号"),
              issuedAt: isoInstant("出具时间"),
              issuedOn: isoDate("出具日期"),
            },
            {},
          ),
          "寄给申请人的文书",
        ),
        correction: nullable(
          objectOf<NonNullable<ApplicantView["correction"]>>(
            "补正告知：需要补正的事项和期限",
            { items: list(text("事项"), "需要补正的事项"), dueOn: isoDate("补正期限"), open: bool("可以在线补正（POST .../correction）") },
            {},
          ),
        ),
        result: nullable(objectOf<NonNullable<ApplicantView["result"]>>("答复结果", { replyType: text("答复类型，见 TaskCompletion 的 replyType"), label: text("答复类型的中文名称") }, {})),
      },
      {},
    ),
    CorrectionAccepted: objectOf<{ trackingNumber: string; status: string }>(
      "补正已收到：答复期限自收到补正之日起重新计算，申请重新审查",
      { trackingNumber: text("申请编号"), status: ref("CaseStatus") },
      {},
    ),
    AccessCodeRequested: objectOf<{ sent: true }>(
      "已受理。无论申请编号是否存在、是否留有邮箱，答复都相同；有邮箱的，新的查询码发送到申请时填写的邮箱，原查询码随即失效（每个申请编号每天最多 3 次）",
      { sent: { type: "boolean", const: true, description: "总是 true" } },
      {},
    ),

    // ---- staff
    LoginResult: objectOf<{
      token: string;
      mustChangePassword: boolean;
      passwordChangeReason?: "initial" | "expired";
      mustEnrolTotp: boolean;
      user: { agencyCode: string; username: string; displayName: string; roles: string[] };
      csrfToken: string;
    }>(
      "登录成功",
      {
        token: text("访问令牌，用作 Authorization: Bearer"),
        mustChangePassword: bool("true：首次登录（管理员设置的初始密码或重置后）或密码已到期，须先修改密码（POST /api/v1/auth/password），此前其他接口答复 403 PASSWORD_CHANGE_REQUIRED"),
        passwordChangeReason: { type: "string", enum: ["initial", "expired"], description: "须修改密码的原因：initial 初始密码；expired 密码已到期" },
        mustEnrolTotp: bool("true：本机关要求该用户的角色使用双因素认证而尚未绑定，须先绑定（POST /api/v1/auth/totp），此前其他接口答复 403 TOTP_ENROLMENT_REQUIRED"),
        user: objectOf<{ agencyCode: string; username: string; displayName: string; roles: string[] }>(
          "当前用户",
          { agencyCode: text("所属机关代码"), username: text("用户名"), displayName: text("姓名"), roles: list(ref("Role"), "角色") },
          {},
        ),
        csrfToken: text("会话的 CSRF 令牌：用会话 Cookie（而非 Bearer）调用修改类接口时，放在 X-CSRF-Token 请求头中"),
      },
      { passwordChangeReason: true },
    ),
    SignedOut: objectOf<{ signedOut: true }>("已退出，令牌和会话 Cookie 失效", { signedOut: { type: "boolean", const: true, description: "总是 true" } }, {}),
    OutcomeField: objectOf<OutcomeField>(
      "办理结果需要填写的字段（与 TaskCompletion 中该结果的字段一致）",
      {
        name: text("字段名"),
        type: { type: "string", enum: outcomeFieldTypes, description: "date 日期（YYYY-MM-DD）；text 文本；choice 选项；integer 整数；list 文本列表" },
        label: text("中文名称"),
        required: bool("是否必填"),
        choices: list(objectOf<NonNullable<OutcomeField["choices"]>[number]>("选项", { value: text("取值"), label: text("中文名称") }, {}), "选项（choice）"),
        maxLength: int("最多字数（text；list 的每项）"),
        min: int("最小值（integer）"),
        max: int("最大值（integer）"),
        maxItems: int("最多项数（list）"),
        requiredWhen: objectOf<NonNullable<OutcomeField["requiredWhen"]>>(
          "同一结果的另一字段取这些值之一时必填",
          { field: text("另一字段"), values: list(text("取值"), "取值") },
          {},
        ),
        hint: text("填写提示"),
      },
      { choices: true, maxLength: true, min: true, max: true, maxItems: true, requiredWhen: true, hint: true },
    ),
    OutcomeView: objectOf<OutcomeView>(
      "当前可以选择的办理结果",
      { outcome: text("办理结果，提交为 TaskCompletion 的 outcome"), label: text("中文名称"), fields: list(ref("OutcomeField"), "需要填写的字段") },
      {},
    ),
    TaskView: objectOf<TaskView>(
      "待办任务",
      {
        taskId: text("待办编号（“案件编号-环节-轮次”）"),
        caseId: text("案件编号"),
        workflow: workflowEnum,
        workflowLabel: text("流程的中文名称"),
        step: stepText,
        round: int("该环节的第几轮（补正后再审查、退回后再送签等）"),
        role: ref("Role"),
        status: { type: "string", enum: ["open", "done", "cancelled"], description: "open 待办；done 已办结；cancelled 已取消" },
        title: text("环节名称"),
        instructions: text("办理要求"),
        reference: text("案件的编号（依申请公开为申请编号）"),
        trackingNumber: text("申请编号"),
        applicantMasked: text("申请人（自然人姓名已脱敏；组织名称不脱敏）"),
        openedAt: isoInstant("开启时间"),
        dueOn: isoDate("办理期限"),
        dueAt: isoInstant("办理期限届满的时刻（北京时间期限当日结束）"),
        dueIsProvisional: bool("期限为暂定（跨入尚未公布放假安排的年份）"),
        workingDaysLeft: int("距期限的工作日数（0 为今天到期，负数为已逾期）"),
        overdue: bool("已逾期"),
        atRisk: bool("今天或下一个工作日到期"),
        escalatedTo: list(ref("Role"), "逾期后已提醒督办的角色"),
        supervising: bool("当前用户因督办（而非本环节角色）可以办理"),
        note: text("开启该待办时的说明，如退回意见"),
        outcome: text("已办结的办理结果"),
        completedAt: isoInstant("办结时间"),
        completedByName: text("办理人"),
        allowedOutcomes: list(ref("OutcomeView"), "当前用户现在可以选择的办理结果及其字段"),
        unavailableOutcomes: list(
          objectOf<TaskView["unavailableOutcomes"][number]>("暂不能选择的办理结果", { outcome: text("办理结果"), label: text("中文名称"), reason: text("不能选择的原因") }, {}),
          "本环节暂不能选择的办理结果及原因",
        ),
      },
      { note: true, outcome: true, completedAt: true, completedByName: true },
    ),
    TaskList: { type: "array", items: ref("TaskView"), description: "当前用户的角色可以办理（含被督办）的未办结待办，按办理期限先后排列" },
    TaskCompleted: objectOf<{ caseId: string; status: string }>("已办结", { caseId: text("案件编号"), status: ref("CaseStatus") }, {}),

    CaseSummary: objectOf<CaseSummary>(
      "查询结果中的一个案件",
      {
        caseId: text("案件编号"),
        workflow: workflowEnum,
        trackingNumber: text("申请编号"),
        status: ref("CaseStatus"),
        statusLabel: text("办理状态的中文名称"),
        applicant: text("申请人；无权查看个人信息的角色看到的自然人姓名已脱敏"),
        createdOn: isoDate("申请提交（录入）日期"),
        receivedOn: nullable(isoDate("收到申请之日")),
        dueOn: nullable(isoDate("法定答复期限（已停止计算的为 null）")),
        dueIsProvisional: bool("期限为暂定"),
        flags: list(text("标记"), "标记，如 answer_overdue（答复逾期）、correction_notice_late"),
        result: nullable(text("办结案件计入的年度报告栏目")),
      },
      {},
    ),
    CaseSearchResult: objectOf<{ results: CaseSummary[]; showPersonalData: boolean }>(
      "查询结果（最多 200 件）",
      { results: list(ref("CaseSummary"), "案件"), showPersonalData: bool("当前用户可以查看个人信息（否则已脱敏）") },
      {},
    ),
    ExplanationStep: objectOf<ExplanationStep>(
      "期限计算中的一天",
      {
        date: isoDate("日期"),
        action: { type: "string", enum: ["start", "skip", "count", "paused", "due"], description: "start 起算日（不计入）；skip 非工作日；count 特别计入的工作日（调休上班日、暂定年份的工作日）；paused 暂停期间的工作日；due 最后一个工作日" },
        dayKind: { type: "string", enum: ["workday", "weekend", "holiday", "makeup_workday"], description: "workday 工作日；weekend 周末；holiday 法定节假日；makeup_workday 调休上班日" },
        holiday: text("所属节日"),
        counted: int("截至当日已计入的工作日数"),
        provisional: bool("该年尚未公布放假安排（暂按周末计算）"),
        text: text("中文说明"),
      },
      { holiday: true },
    ),
    DeadlineView: objectOf<DeadlineView>(
      "案件的一个期限及其计算说明",
      {
        name: text(`期限名称：${Object.values(workflows).flatMap((w) => Object.values(w.deadlines).map((d) => `${d.name} ${d.label}（${d.periodWorkingDays} 个工作日）`)).join("；")}`),
        label: text("中文名称"),
        dueOn: isoDate("到期日"),
        provisional: bool("暂定"),
        paused: bool("暂停计算中"),
        stopped: bool("已停止计算（已满足或不再适用）"),
        stoppedReason: text("停止计算的原因"),
        workingDaysLeft: nullable(int("距到期日的工作日数（计算中时）")),
        overdue: bool("已逾期"),
        explanation: list(text("一行"), "期限的计算说明（中文，逐条，含起算、暂停、延长及操作人）"),
        steps: list(ref("ExplanationStep"), "跳过或特别计入的日期"),
      },
      { stoppedReason: true },
    ),
    Actor: objectOf<Actor>(
      "操作人",
      {
        kind: { type: "string", enum: ["applicant", "staff", "system"], description: "applicant 申请人；staff 工作人员；system 系统" },
        username: text("用户名"),
        role: text("以何角色办理"),
        displayName: text("姓名"),
      },
      { username: true, role: true, displayName: true },
    ),
    AuditEvent: objectOf<AuditEvent>(
      "办理过程中的一条记录（审计链：每条的 hash 覆盖前一条的 hash 和本条内容）",
      {
        caseId: text("案件编号"),
        seq: int("序号，从 1 起"),
        at: isoInstant("时间"),
        actor: ref("Actor"),
        type: text("事件类型，如 application.registered"),
        summary: text("中文说明"),
        data: { type: "object", description: "事件的数据", additionalProperties: true },
        applicantVisible: bool("申请人可见"),
        prevHash: text("前一条的 hash"),
        hash: text("本条的 SHA-256 散列值"),
      },
      { data: true, applicantVisible: true },
    ),
    Letter: objectOf<LetterRecord>(
      "文书",
      {
        letterId: text("文书编号，用于下载"),
        kind: ref("LetterKind"),
        title: text("标题"),
        number: text("文号"),
        issuedAt: isoInstant("出具时间"),
        issuedOn: isoDate("出具日期"),
        to: { type: "string", enum: ["applicant", "party", "staff"], description: "applicant 申请人；party 第三方或其他机关；staff 内部" },
        recipientName: text("收件人"),
        files: objectOf<LetterRecord["files"]>("存储位置", { html: text("HTML 文件"), docx: text("Word 文件") }, {}),
      },
      {},
    ),
    CaseResult: objectOf<CaseResult & { label: string; replyTypeLabel: string; groundLabel?: string }>(
      "办结结果",
      {
        cell: { type: "string", enum: Object.keys(resultCells), description: "年度报告（SPEC §5.1）栏目编号" },
        replyType: text("答复类型"),
        ground: text("具体情形"),
        closedOn: isoDate("办结日期"),
        label: text("年度报告栏目的中文名称"),
        replyTypeLabel: text("答复类型的中文名称"),
        groundLabel: text("具体情形的中文名称"),
      },
      { ground: true, groundLabel: true },
    ),
    StaffCase: objectOf<KnownKeys<StaffCaseView["case"]>>(
      "案件：公共字段，以及依申请公开案件自身的数据（收到方式、补正、征求意见、保密审查、延期、拟答复意见等，见 shared/domain/workflows/application/data.ts）",
      staffCase,
      {},
      {
        properties: {
          ...dataProperties,
          channel: { ...dataProperties.channel, description: `收到申请的方式：${Object.entries(channelLabels).map(([k, v]) => `${k} ${v}`).join("；")}` },
          ...staffCase,
          agencyCode: text("机关代码"),
          application: {
            type: "object",
            additionalProperties: true,
            description: "申请内容，字段同 ApplicationInput；无权处理个人信息的角色看到的姓名、证件号码、电话、地址、邮编、邮箱等已脱敏（脱敏值不满足格式要求）",
          },
          createdAt: isoInstant("创建时间"),
          closedAt: nullable(isoInstant("办结时间")),
          archivedAt: nullable(isoInstant("归档时间")),
          letters: list(ref("Letter"), "文书"),
          version: int("版本号"),
        },
        additionalProperties: true,
      },
    ),
    StaffCaseView: objectOf<StaffCaseView>(
      "案件详情：期限及计算说明、办理过程、待办、文书",
      {
        case: ref("StaffCase"),
        showPersonalData: bool("当前用户可以查看个人信息（否则申请内容已脱敏）"),
        deadlines: list(ref("DeadlineView"), "期限"),
        timeline: list(ref("AuditEvent"), "办理过程（审计记录）"),
        auditTrailIntact: bool("审计链完整（未被篡改）"),
        tasks: list(ref("TaskView"), "全部待办，新的在前；未办结的含当前用户可选的办理结果"),
        letters: list(ref("Letter"), "文书"),
      },
      {},
    ),
    StaffApplicationEntered: objectOf<Entered>(
      "已录入并受理登记：法定答复期限已起算，受理回执已出具，待审查",
      {
        caseId: text("案件编号"),
        trackingNumber: text("申请编号"),
        accessCode: text("查询码：只在此返回一次，请告知申请人"),
        status: ref("CaseStatus"),
        receivedOn: nullable(isoDate("依第三十一条确定的收到申请之日")),
      },
      {},
    ),

    // ---- calendar
    YearSchedule: jsonSchemaOf(yearScheduleSchema, "output"),
    CalendarYear: objectOf<CalendarYearRow>(
      "一年的放假安排来源",
      {
        year: int("年份"),
        source: { type: "string", enum: ["official", "entered", "missing"], description: "official 仓库中的官方数据；entered 管理员录入；missing 缺失（跨入该年的期限为暂定）" },
        schedule: ref("YearSchedule"),
        enteredBy: text("录入人用户名"),
        enteredAt: isoInstant("录入时间"),
        revision: int("录入的版本号"),
        replacesOfficial: bool("录入的安排替代了官方数据"),
      },
      { schedule: true, enteredBy: true, enteredAt: true, revision: true, replacesOfficial: true },
    ),
    CalendarYears: objectOf<{ years: CalendarYearRow[] }>("从最早已知年份到明年的每一年", { years: list(ref("CalendarYear"), "各年份") }, {}),
    CalendarEntered: objectOf<{ entered: Array<{ year: number; revision: number; changed: number }> }>(
      "已录入",
      {
        entered: list(
          objectOf<{ year: number; revision: number; changed: number }>("一年", { year: int("年份"), revision: int("版本号"), changed: int("因此重新计算的未办结期限数") }, {}),
          "录入的各年份",
        ),
      },
      {},
    ),

    // ---- local
    LocalClockNow: objectOf<{ now: string }>("本地时钟", { now: isoInstant("本地时钟的当前时间") }, {}),
    LocalClockMoved: objectOf<{ now: string; firedSchedules: number }>(
      "时钟已移动",
      { now: isoInstant("移动后的时间"), firedSchedules: int("本次触发的到期定时任务数") },
      {},
    ),
  };
}
