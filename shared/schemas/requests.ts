/**
 * Zod schemas of request parts, for the OpenAPI document (`z.toJSONSchema`). The
 * attachments and the Idempotency-Key are what the handlers validate with; the others
 * describe checks their code makes by hand (each names it), so a change there must be
 * made here too.
 */
import * as z from "zod";
import { applicationFields, applicationInputSchema, type ApplicationField } from "./application";
import { acceptedAttachmentTypes, attachmentLimits } from "../domain/files/attachments";
import { isIsoDate } from "../domain/calendar/civil-date";
import { MAX_SCHEDULE_YEAR, MIN_SCHEDULE_YEAR } from "../domain/calendar/validate";
import { trackingNumberPattern } from "../domain/ids";
import { applicationWorkflow } from "../domain/workflows";


const mb = (bytes: number) => `${bytes / 1_000_000} MB`;

/**
 * `attachments` of `POST /api/v1/applications` and `POST /api/v1/staff/applications`, as
 * intake parses them; `checkAttachments` (shared/domain/files/attachments.ts) then checks
 * each file's content and size.
 */
export const jsonAttachmentsSchema = z
  .array(
    z.object({
      name: z.string().max(255).describe("文件名（仅用于显示，去除路径和控制字符后最多保留 100 个字）"),
      data: z
        .string()
        .max(3_000_000)
        .meta({ contentEncoding: "base64" })
        .describe(`文件内容的 Base64 编码；解码后不能为空，每个不超过 ${mb(attachmentLimits.maxBytesEach)}，只接受 ${acceptedAttachmentTypes}（按文件内容判断，不看文件名）`),
    }),
  )
  .max(attachmentLimits.maxFiles)
  .describe(
    `附件（如身份证件复印件、授权委托书），最多 ${attachmentLimits.maxFiles} 个，合计不超过 ${mb(attachmentLimits.maxBytesTotal)}；` +
      "出错时 fields[].path 为 attachments 或 attachments.N（N 为第几个附件，从 0 起）",
  );

const personBranch = applicationInputSchema.options[0].shape;
const organizationBranch = applicationInputSchema.options[1].shape;
const branchField = (f: ApplicationField): z.ZodType | undefined =>
  (personBranch as Record<string, z.ZodType>)[f] ?? (organizationBranch as Record<string, z.ZodType>)[f];

/** Fields a correction may change: every application field but the agency and the type of applicant. */
export const correctableFields = applicationFields.filter((f) => f !== "agencyCode" && f !== "applicantType");

/**
 * Body of `POST /api/v1/applications/{trackingNumber}/correction`: mirrors `submitCorrection`
 * (shared/app/applications/applicant.ts) — any application field but `agencyCode` and
 * `applicantType`, each as in the application schema, plus `note` (≤ 2000 characters); the
 * corrected application is then validated as a whole, and something must be sent.
 */
export const correctionInputSchema = z
  .object({
    ...Object.fromEntries(correctableFields.flatMap((f) => {
      const schema = branchField(f);
      return schema ? [[f, schema.optional()]] : [];
    })),
    note: z.string().trim().max(2000).optional().describe("补正说明（选填，最多 2000 个字）"),
  })
  .describe(
    "补正内容：补正告知书所列事项对应的申请字段（字段名和格式与 ApplicationInput 相同，只提交需要补正的字段），以及补正说明 note。" +
      "受理机关（agencyCode）和申请人类型（applicantType）不能补正，提交了也会忽略；另一类申请人的字段同样忽略。" +
      "提交的字段替换原申请中的对应内容后，整份申请重新校验。至少须提交一个字段或补正说明。",
  );

/**
 * The `Idempotency-Key` header of `POST /api/v1/applications` (trimmed, 1 to 128 visible
 * ASCII characters), as the portal's handler checks it.
 */
export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/)
  .describe(
    "幂等键（选填，1 至 128 个可见 ASCII 字符，如 UUID）。同一个键在 24 小时内重复提交相同的请求体时，返回第一次的响应（201，相同的申请编号和查询码），不再新建申请；" +
      "同一个键用于内容不同的请求体时答复 422（IDEMPOTENCY_KEY_REUSED）。格式不符答复 400（fields[].path 为 Idempotency-Key）。",
  );

const date = (what: string) =>
  z
    .string()
    .trim()
    .refine(isIsoDate, { error: `${what}应为 YYYY-MM-DD 格式的日期` })
    .meta({ format: "date" });

/**
 * Query of `GET /api/v1/cases`: mirrors `searchCases` (shared/app/views/search.ts). Empty
 * parameters count as absent.
 */
export const caseSearchQuerySchema = z.object({
  trackingNumber: z
    .string()
    .trim()
    .max(40)
    .regex(trackingNumberPattern)
    .optional()
    .describe("申请编号，如 001008010002002-2026-00001（精确匹配）"),
  q: z.string().trim().max(100).optional().describe("关键词（最多 100 个字）：申请编号、申请人姓名或名称、内容描述、文件名称、文号；无权查看个人信息的角色不能按自然人姓名查找"),
  from: date("开始日期").optional().describe("申请提交日期不早于此日（YYYY-MM-DD；默认上一年 1 月 1 日）"),
  to: date("结束日期").optional().describe("申请提交日期不晚于此日（YYYY-MM-DD；默认今天）"),
  status: z
    .enum(Object.keys(applicationWorkflow.statuses) as [string, ...string[]])
    .optional()
    .describe(`办理状态：${Object.entries(applicationWorkflow.statuses).map(([k, v]) => `${k} ${v}`).join("；")}`),
  step: z
    .enum(Object.keys(applicationWorkflow.steps) as [string, ...string[]])
    .optional()
    .describe(`有未办结待办的环节：${Object.values(applicationWorkflow.steps).map((s) => `${s.step} ${s.title}`).join("；")}`),
});

/**
 * Page size of `GET /api/v1/tasks`: by default a whole page of the most one may hold, so an
 * integration that reads only the first page still sees every task of an ordinary office;
 * the console's inbox shows fewer a page.
 */
export const TASK_PAGE_DEFAULT = 500;
export const TASK_PAGE_MAX = 500;
export const INBOX_PAGE_SIZE = 100;

/** The query of `GET /api/v1/tasks`, as `parseTaskListQuery` in shared/app/views/tasks.ts checks it. */

export const taskListQuerySchema = z.object({
  status: z.enum(["open"]).default("open").describe("待办状态：目前只支持 open（未办结）"),
  limit: z.coerce.number().int().min(1).max(TASK_PAGE_MAX).default(TASK_PAGE_DEFAULT).optional()
    .describe(`每页条数，默认 ${TASK_PAGE_DEFAULT}，最多 ${TASK_PAGE_MAX}（超过按 ${TASK_PAGE_MAX}）；下一页的游标在响应头 X-Next-Cursor 和 Link（rel="next"）中，总数在 X-Total-Count`),
  cursor: z.string().max(200).optional().describe("上一页响应头 X-Next-Cursor 给出的游标（不透明字符串），读取下一页"),
  step: z.string().max(40).optional().describe("只列出该环节的待办（环节名见 TaskCompletion）"),
  caseId: z.string().length(26).optional().describe("只列出该案件的待办"),
});

/**
 * Body of `POST /api/v1/local/clock`: mirrors `moveSchema` and `parseMove` in
 * functions/http/local-clock.ts (exactly one of the two keys).
 */
export const localClockMoveSchema = z
  .union([
    z.strictObject({
      advanceWorkingDays: z.number().int().min(1).max(250).describe("向前拨的工作日数（1 至 250）；保留当前的时刻，拨到第 N 个工作日"),
    }),
    z.strictObject({
      to: z
        .string()
        .regex(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/)
        .describe("拨到的时间，北京时间 YYYY-MM-DDTHH:mm；只能向前拨，早于当前时间答复 409"),
    }),
  ])
  .describe("二者只能提供其一");

const text = (what: string) => z.string().describe(what);
const scheduleDate = (what: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ format: "date" }).describe(what);

/**
 * One year's holiday schedule as entered by an administrator: mirrors `yearScheduleSchema`
 * in shared/domain/calendar/schedule-json.ts (strict objects) plus the rules of
 * `validateYearSchedule` (described).
 */
export const yearScheduleSchema = z
  .strictObject({
    year: z.number().int().min(MIN_SCHEDULE_YEAR).max(MAX_SCHEDULE_YEAR).describe("年份"),
    notice: z
      .strictObject({
        documentNumber: text("国务院办公厅通知的文号，如 国办发明电〔2025〕7号"),
        issuedOn: scheduleDate("发文日期"),
        title: text("通知标题"),
      })
      .describe("放假安排通知"),
    holidays: z
      .array(z.strictObject({ name: text("节日名称"), from: scheduleDate("放假开始日期"), to: scheduleDate("放假结束日期（含）") }))
      .describe("放假区间（含其中的周末），按时间先后排列且互不重叠"),
    makeUpWorkdays: z.array(z.strictObject({ date: scheduleDate("调休上班的周末日期"), holiday: text("对应节日") })).describe("调休上班日（须为周末，且不在放假区间内）"),
    corrections: z
      .array(z.strictObject({ documentNumber: text("文号"), issuedOn: scheduleDate("发文日期"), note: text("说明") }))
      .optional()
      .describe("此后调整该年放假安排的通知（如有）；上面的数据为调整后的最终安排"),
  })
  .describe("一年的放假安排，格式与仓库中的官方数据文件（shared/domain/calendar/official）相同；所有日期须在该年内");

/** Body of `POST /api/v1/calendar/years`: one year's schedule or a list of them (read as text, then parsed). */
export const yearScheduleEntrySchema = z
  .union([yearScheduleSchema, z.array(yearScheduleSchema).min(1)])
  .describe(
    "一年的放假安排，或多年的列表（同一年不能重复）。全部正确才保存；有误时答复 400（CALENDAR_SCHEDULE_INVALID），每处错误的 message 注明行号和字段。" +
      "录入后，跨入该年的暂定期限按新安排重新计算。",
  );
