/**
 * The OpenAPI 3.1 description of SPEC §7, served at `/api/v1/openapi.json`.
 *
 * Derived, not written out (DESIGN §6):
 * - request bodies, headers and query parameters from the zod schemas that validate them
 *   (`z.toJSONSchema`): the application, login, staff entry, correction, attachments,
 *   search, the calendar entry and the local clock (shared/schemas/requests.ts
 *   says which of them mirror a check written by hand elsewhere);
 * - the task-completion body from the workflow definitions, step by step and outcome by
 *   outcome (shared/schemas/openapi-workflows.ts);
 * - enumerations and labels from their data (statuses, roles, letter kinds, report cells);
 * - responses against the TypeScript views they describe (shared/schemas/openapi-views.ts);
 * - the local-only mark from the manifest (`localOnly`).
 */
import {
  applicantTypeLabels,
  applicationConfirmationLabels,
  applicationFieldLabels,
  applicationInputSchema,
  deliveryFormLabels,
  deliveryWayLabels,
  idTypeLabels,
  organizationKindLabels,
} from "../schemas/application";
import { loginSchema, staffEntryFactsSchema } from "../schemas/staff";
import { errorStatus } from "../schemas/errors";
import {
  caseSearchQuerySchema,
  correctionInputSchema,
  idempotencyKeySchema,
  jsonAttachmentsSchema,
  localClockMoveSchema,
  taskListQuerySchema,
  yearScheduleEntrySchema,
} from "../schemas/requests";
import { TASK_COMPLETION, taskCompletionComponents } from "../schemas/openapi-workflows";
import { viewComponents } from "../schemas/openapi-views";
import { publishingComponents } from "../schemas/openapi-publishing";
import { consultationComponents, consultationPaths } from "../schemas/openapi-consultations";
import { transparencyComponents, transparencyPaths } from "../schemas/openapi-transparency";
import { reportComponents } from "../schemas/openapi-reports";
import { accountComponents, accountPaths } from "../schemas/openapi-accounts";
import { dutyComponents, dutyPaths } from "../schemas/openapi-duty";
import { jsonSchemaOf, labelList, ref, type JsonSchema } from "../schemas/openapi-json";
import { functions } from "../manifest";
import { MAX_BODY_BYTES } from "./http";
import { ATTACHMENT_BODY_LIMIT_BYTES } from "./limits";
import { SESSION_COOKIE } from "./staff-auth";
import { DOCX_TYPE } from "../app/letters/issue";
import { applicationWorkflow } from "../domain/workflows";
import { roleLabel } from "../domain/roles";

/** Routes that take attachments accept up to this much (functions/http/public-portal.ts, staff-console.ts). */
const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`);

// ---- responses ------------------------------------------------------------------------------

const json = (schema: JsonSchema, description: string, extra: JsonSchema = {}) => ({ description, content: { "application/json": { schema } }, ...extra });
const error = (description: string) => json(ref("ErrorResponse"), description);
const tooMany = (description: string) => ({ ...error(description), headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } });

const badRequest = (what: string) => error(`请求有误：${what}。错误代码 VALIDATION_FAILED（请求体不是有效 JSON 时为 MALFORMED_JSON），fields 逐字段给出中文说明；不保存任何内容`);
const jsonBodyErrors = (limit = MAX_BODY_BYTES) => ({
  "413": error(`请求体超过 ${kb(limit)}（PAYLOAD_TOO_LARGE）`),
  "415": error("Content-Type 不是 application/json、字符集不受支持（支持 UTF-8、GBK、GB18030、GB2312）或使用了不支持的 Content-Encoding（UNSUPPORTED_MEDIA_TYPE）"),
});
const unauthorized = { "401": error("未登录或登录已失效（UNAUTHORIZED）：缺少或无效的 Bearer 令牌或会话 Cookie") };
const csrfNote = "使用会话 Cookie 调用时还须在 X-CSRF-Token 请求头中提供会话的 CSRF 令牌（否则 403）";

const letterFile = (description: string) => ({
  description,
  headers: {
    "Content-Disposition": {
      description: "attachment（docx）或 inline（html），带 UTF-8 编码的中文文件名“标题（文号）.docx”",
      schema: { type: "string" },
    },
  },
  content: {
    [DOCX_TYPE]: { schema: { type: "string", contentMediaType: DOCX_TYPE } },
    "text/html": { schema: { type: "string", contentMediaType: "text/html" } },
  },
});

// ---- parameters -----------------------------------------------------------------------------

const pathParameter = (name: string, description: string, schema: JsonSchema = { type: "string" }) => ({ name, in: "path", required: true, description, schema });

const trackingNumberParameter = pathParameter("trackingNumber", "申请编号，如 001008010002002-2026-00001");
const accessCodeParameter = {
  name: "X-Access-Code",
  in: "header",
  required: true,
  description: "提交申请时获得的查询码。申请编号不存在和查询码错误的答复完全相同（404）；错误次数过多时暂时拒绝（429），正确的查询码也不例外",
  schema: { type: "string" },
};
const letterIdParameter = pathParameter("letterId", "文书编号（办理情况中 letters[].letterId）");
const formatParameter = {
  name: "format",
  in: "query",
  required: false,
  description: "docx（Word 文件，默认）或 html（可打印的网页，浏览器内显示）",
  schema: { type: "string", enum: ["docx", "html"], default: "docx" },
};
const csrfParameter = {
  name: "X-CSRF-Token",
  in: "header",
  required: false,
  description: "会话的 CSRF 令牌（登录时返回的 csrfToken）：只在用会话 Cookie 调用修改类接口时需要，Bearer 令牌调用无需提供",
  schema: { type: "string" },
};
const idempotencyKeyParameter = { name: "Idempotency-Key", in: "header", required: false, ...describedSchema(jsonSchemaOf(idempotencyKeySchema)) };

/** `{ description, schema }` of a parameter from a property's JSON Schema. */
function describedSchema(schema: JsonSchema): { description: string; schema: JsonSchema } {
  const { description, ...rest } = schema;
  return { description: typeof description === "string" ? description : "", schema: rest };
}

/** Query parameters from a zod object: each property one parameter, with its schema and description. */
function queryParameters(schema: Parameters<typeof jsonSchemaOf>[0]) {
  const s = jsonSchemaOf(schema);
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries((s.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => ({
    name,
    in: "query",
    required: required.has(name),
    ...describedSchema(property),
  }));
}

/**
 * Gives each property of the schema (and of its `oneOf` branches) that zod left without a
 * description its label, with the label of its `const` value when it has one (e.g. the
 * `applicantType` literal of each branch of the application).
 */
function withLabels(schema: JsonSchema, labels: Record<string, string>, valueLabels: Record<string, Record<string, string>> = {}): JsonSchema {
  const label = (s: JsonSchema): JsonSchema => {
    const properties = s.properties as Record<string, JsonSchema> | undefined;
    const branches = s.oneOf as JsonSchema[] | undefined;
    return {
      ...s,
      ...(properties
        ? {
            properties: Object.fromEntries(
              Object.entries(properties).map(([name, p]) => {
                if (p.description || !labels[name]) return [name, p];
                const value = typeof p.const === "string" ? p.const : undefined;
                const valueLabel = value !== undefined ? valueLabels[name]?.[value] : undefined;
                return [name, { ...p, description: `${labels[name]}${value !== undefined ? `：${value}${valueLabel ? ` ${valueLabel}` : ""}` : ""}` }];
              }),
            ),
          }
        : {}),
      ...(branches ? { oneOf: branches.map(label) } : {}),
    };
  };
  return label(schema);
}

// ---- the document ---------------------------------------------------------------------------

const localOnlyPaths = new Set(functions.filter((f) => f.localOnly && f.trigger.kind === "http").flatMap((f) => (f.trigger.kind === "http" ? f.trigger.paths : [])));

type Operation = Record<string, unknown> & { tags: string[]; operationId: string; summary: string };

/** Marks every operation of a local-only path (manifest `localOnly`) as such. */
function withLocalOnly(paths: Record<string, Record<string, Operation>>) {
  for (const [path, item] of Object.entries(paths)) {
    if (!localOnlyPaths.has(path)) continue;
    for (const op of Object.values(item)) {
      op.tags = ["local"];
      op["x-local-only"] = true;
      op.description = `只在本地运行环境（npm start）中提供，AWS 部署中不存在；非本地环境答复 503（LOCAL_ONLY）。${(op.description as string | undefined) ?? ""}`;
    }
  }
  return paths;
}

/** SPEC §7.2: starting items, documents and catalogue changes; an item's approval form. */
function publishingPaths(staffSecurity: unknown[]) {
  const start = (operationId: string, summary: string, input: string, who: string) => ({
    post: {
      tags: ["staff"],
      operationId,
      summary,
      description: `${who}。${csrfNote}。`,
      security: staffSecurity,
      parameters: [csrfParameter],
      requestBody: { required: true, content: { "application/json": { schema: ref(input) } } },
      responses: {
        "201": json(ref("WorkflowStarted"), "已报送"),
        "400": badRequest("字段、文件或选项不符合要求"),
        ...unauthorized,
        "403": error("当前角色无权报送，或缺少 CSRF 令牌（FORBIDDEN）"),
        ...jsonBodyErrors(ATTACHMENT_BODY_LIMIT_BYTES),
      },
    },
  });
  const query = (name: string, description: string, schema: JsonSchema = { type: "string" }) => ({ name, in: "query", required: false, description, schema });
  return {
    "/api/v1/catalogue": {
      get: {
        tags: ["public"],
        operationId: "listCatalogue",
        summary: "政府信息公开目录：按栏目、年份浏览，按标题、文号、全文检索",
        security: [],
        parameters: [
          query("agency", "机关代码（省略时列出全部机关的目录）"),
          query("column", "栏目代码"),
          query("year", "发布年份（四位数字）"),
          query("q", "检索词（不超过 100 字；空格分隔的多个词须同时命中）"),
          query("page", "页码（从 1 开始）", { type: "integer", minimum: 1 }),
          query("pageSize", "每页条数", { type: "integer", minimum: 1 }),
        ],
        responses: { "200": json(ref("CatalogueList"), "目录"), "400": badRequest("机关、栏目、年份、检索词或页码无效") },
      },
    },
    "/api/v1/catalogue/{agencyCode}/{entry}": {
      get: {
        tags: ["public"],
        operationId: "getCatalogueEntry",
        summary: "目录中的一条信息：索引号 {agencyCode}/{entry}，如 001008010002002/2026-000001",
        security: [],
        parameters: [pathParameter("agencyCode", "机关代码"), pathParameter("entry", "索引号中的 年份-序号")],
        responses: { "200": json(ref("CatalogueEntryView"), "信息"), "404": error("没有这条信息（NOT_FOUND）") },
      },
    },
    "/api/v1/imports/applications": {
      post: {
        tags: ["staff"],
        operationId: "importApplications",
        summary: "导入系统上线前办理的申请（每行一件），计入年度报告",
        description:
          "表头：reference,receivedOn,applicantType,organizationKind,replyType,ground,closedOn；replyType、ground 同 §7.1，未办结的 replyType、ground、closedOn 留空。" +
          `全部行通过校验才导入，任一行有误返回 400 并指明行号和列（fields 的 path 为 rows.<行号>.<列>）；同一文件再次导入不重复保存。办公室、办公室主任可以导入。${csrfNote}。`,
        security: staffSecurity,
        parameters: [csrfParameter],
        requestBody: {
          required: true,
          content: {
            "text/csv": { schema: { type: "string", description: "UTF-8 CSV（可带 BOM）" } },
            "multipart/form-data": { schema: { type: "object", description: "一个 .xlsx 或 .csv 文件", properties: { file: { type: "string", format: "binary", description: ".xlsx（第一个工作表）或 .csv" } } } },
          },
        },
        responses: {
          "201": json({ type: "object", description: "导入结果", properties: { imported: { type: "integer", description: "新导入的件数" }, unchanged: { type: "integer", description: "此前已导入、未变的件数" } } }, "已导入"),
          "400": error("某行或表头有误（IMPORT_INVALID），逐项指明行号和列；未导入任何内容"),
          ...unauthorized,
          "403": error("当前角色无权导入，或缺少 CSRF 令牌（FORBIDDEN）"),
          "413": error(`请求体超过 ${kb(ATTACHMENT_BODY_LIMIT_BYTES)}（PAYLOAD_TOO_LARGE）`),
          "415": error("请以 text/csv 或 multipart/form-data 上传（UNSUPPORTED_MEDIA_TYPE）"),
        },
      },
    },
    "/api/v1/reports/monthly": {
      get: {
        tags: ["staff"],
        operationId: "getMonthlyReport",
        summary: "月度信息发布情况：各渠道、栏目发布条数，公文印发与发布比对，审核退回和不予发布及理由",
        security: staffSecurity,
        parameters: [
          { name: "month", in: "query", required: true, description: "月份（YYYY-MM）", schema: { type: "string", pattern: "^\\d{4}-\\d{2}$" } },
          query("format", "json（默认）或 html", { type: "string", enum: ["json", "html"] }),
        ],
        responses: {
          "200": { description: "月度报告", content: { "application/json": { schema: { type: "object", description: "月度报告（published、documents、returned、rejected）" } }, "text/html": { schema: { type: "string" } } } },
          "400": badRequest("月份或格式无效"),
          ...unauthorized,
          "403": error("当前角色无权查看（FORBIDDEN）"),
        },
      },
    },
    "/api/v1/reports/annual/entries": {
      post: {
        tags: ["staff"],
        operationId: "enterAnnualReportFigures",
        summary: "手工填报年度报告中系统不掌握的数字（第二十条第（一）（五）（六）（八）项），记录填报人和时间",
        description: `办公室、办公室主任可以填报；同一年度同一项目再次填报即更正。${csrfNote}。`,
        security: staffSecurity,
        parameters: [csrfParameter],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                description: "一项数据",
                required: ["year", "item", "values"],
                properties: {
                  year: { type: "integer", description: "报告年度" },
                  item: { type: "string", enum: ["rules", "normative", "licensing", "punishment", "enforcement", "fees"], description: "rules 规章；normative 行政规范性文件；licensing 行政许可；punishment 行政处罚；enforcement 行政强制；fees 行政事业性收费" },
                  values: { type: "object", description: "规章、行政规范性文件：issued 本年制发件数、repealed 本年废止件数、inForce 现行有效件数；行政许可、处罚、强制：decisions 本年处理决定数量；收费：amount 本年收费金额（万元，最多 4 位小数）", additionalProperties: { type: "number", description: "数值" } },
                },
              },
            },
          },
        },
        responses: { "201": json({ type: "object", description: "已填报的数据，含填报人和时间" }, "已填报"), "400": badRequest("年度、项目或数值无效"), ...unauthorized, "403": error("当前角色无权填报（FORBIDDEN）"), ...jsonBodyErrors() },
      },
    },
    "/api/v1/reports/annual/narrative": {
      get: {
        tags: ["staff"],
        operationId: "getAnnualReportNarrative",
        summary: "年度报告的六个文字部分（一、总体情况……六、其他需要报告的事项）：已编辑的文字，或按本年数字生成的草稿",
        security: staffSecurity,
        parameters: [{ name: "year", in: "query", required: true, description: "报告年度（四位数字）", schema: { type: "string", pattern: "^\\d{4}$" } }],
        responses: {
          "200": json(
            {
              type: "object",
              description: "年度和六个部分",
              properties: {
                year: { type: "integer", description: "报告年度" },
                sections: {
                  type: "array",
                  description: "按报告顺序的六个部分",
                  items: {
                    type: "object",
                    description: "一个部分",
                    properties: {
                      key: { type: "string", enum: ["overview", "proactive", "applications", "reviewLitigation", "problems", "other"], description: "部分的代码" },
                      heading: { type: "string", description: "标题，如“一、总体情况”" },
                      text: { type: "string", description: "已编辑的文字；未编辑时为草稿" },
                      draft: { type: "string", description: "按当前数字生成的草稿" },
                      edited: { type: "boolean", description: "是否已编辑" },
                      editedBy: { type: "string", description: "编辑人姓名" },
                      editedAt: { type: "string", format: "date-time", description: "编辑时间" },
                    },
                  },
                },
              },
            },
            "六个文字部分",
          ),
          "400": badRequest("年度无效"),
          ...unauthorized,
          "403": error("当前角色无权查看（FORBIDDEN）"),
        },
      },
      post: {
        tags: ["staff"],
        operationId: "saveAnnualReportNarrative",
        summary: "保存年度报告文字部分（只改所给的部分；空文字恢复为草稿），记录编辑人和时间",
        description: `办公室、办公室主任可以编辑。${csrfNote}。`,
        security: staffSecurity,
        parameters: [csrfParameter],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                description: "年度和要保存的部分",
                required: ["year", "sections"],
                properties: {
                  year: { type: "integer", description: "报告年度" },
                  sections: { type: "object", description: "部分代码 → 文字（overview、proactive、applications、reviewLitigation、problems、other），每部分不超过 20000 字", additionalProperties: { type: "string", description: "该部分的文字" } },
                },
              },
            },
          },
        },
        responses: { "200": json({ type: "object", description: "已保存的年度和部分" }, "已保存"), "400": badRequest("年度、部分或文字无效"), ...unauthorized, "403": error("当前角色无权编辑（FORBIDDEN）"), ...jsonBodyErrors() },
      },
    },
    "/api/v1/reports/annual/final": {
      post: {
        tags: ["staff"],
        operationId: "finaliseAnnualReport",
        summary: "年度报告定稿：全部校验通过方可定稿；定稿后下一年度据此校验“二”",
        description: `办公室主任、分管领导可以定稿。请求体 {"year": 2026}。${csrfNote}。`,
        security: staffSecurity,
        parameters: [csrfParameter],
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", description: "报告年度", properties: { year: { type: "integer", description: "报告年度" } } } } } },
        responses: {
          "200": json({ type: "object", description: "定稿的报告、定稿人和时间", properties: { report: ref("AnnualReport"), finalisedBy: { type: "string", description: "定稿人" }, finalisedAt: { type: "string", format: "date-time", description: "定稿时间" } } }, "已定稿"),
          "400": badRequest("年度无效"),
          ...unauthorized,
          "403": error("当前角色无权定稿（FORBIDDEN）"),
          "409": error("有校验未通过（REPORT_CHECKS_FAILED），消息列出未通过的各项"),
          ...jsonBodyErrors(),
        },
      },
    },
    "/api/v1/cases/{caseId}/remedies": {
      post: {
        tags: ["staff"],
        operationId: "recordRemedy",
        summary: "登记针对某件申请的行政复议、行政诉讼及其结果（计入年度报告第三张表）",
        description: `同一类型、同一申请日期再次登记即更新其结果。办公室、办公室主任可以登记。${csrfNote}。`,
        security: staffSecurity,
        parameters: [pathParameter("caseId", "申请的案件编号"), csrfParameter],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                description: "一件行政复议或行政诉讼",
                required: ["kind", "filedOn"],
                properties: {
                  kind: { type: "string", enum: ["review", "litigation_direct", "litigation_after_review"], description: "review 行政复议；litigation_direct 未经复议直接起诉；litigation_after_review 复议后起诉" },
                  filedOn: { type: "string", format: "date", description: "申请复议或起诉的日期" },
                  result: { type: "string", enum: ["upheld", "corrected", "other"], description: "upheld 维持；corrected 纠正；other 其他（审结时填写）" },
                  decidedOn: { type: "string", format: "date", description: "审结日期" },
                  note: { type: "string", maxLength: 500, description: "备注" },
                },
              },
            },
          },
        },
        responses: {
          "201": json({ type: "object", description: "该申请的全部行政复议、行政诉讼" }, "已登记"),
          "400": badRequest("类型、日期或结果无效"),
          ...unauthorized,
          "403": error("当前角色无权登记（FORBIDDEN）"),
          "404": error("案件不存在（NOT_FOUND）"),
          "409": error("不是政府信息公开申请（NOT_AN_APPLICATION）"),
          ...jsonBodyErrors(),
        },
      },
    },
    "/api/v1/reports/annual": {
      get: {
        tags: ["staff"],
        operationId: "getAnnualReport",
        summary: "政府信息公开工作年度报告：三张表及逐项校验（json、csv、xlsx、可打印 html）",
        description: "本机关的办公室、办公室主任、分管领导、主要领导和审计可以查看；按年度逐期读取案件，不扫描全表。",
        security: staffSecurity,
        parameters: [
          query("agency", "机关代码（省略时为当前用户所属机关；其他机关的报告不存在）"),
          { name: "year", in: "query", required: true, description: "报告年度（四位数字）", schema: { type: "integer" } },
          query("format", "json（默认）、csv、xlsx 或 html", { type: "string", enum: ["json", "csv", "xlsx", "html"] }),
        ],
        responses: {
          "200": {
            description: "年度报告",
            content: {
              "application/json": { schema: ref("AnnualReport") },
              "text/csv": { schema: { type: "string" } },
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: { type: "string", format: "binary" } },
              "text/html": { schema: { type: "string" } },
            },
          },
          "400": badRequest("年度或格式无效"),
          ...unauthorized,
          "403": error("当前角色无权查看年度报告（FORBIDDEN）"),
          "404": error("机关不存在或不是当前用户所属机关（NOT_FOUND）"),
        },
      },
    },
    "/api/v1/publications": start("submitPublication", "报送网站、微信公众号信息（复核、审核后发布）", "PublicationInput", "信息员、办公室可以报送"),
    "/api/v1/documents": start("submitDocument", "报送公文及其拟定公开属性（定密、审核、审签、印发后主动公开）", "DocumentInput", "科室负责人、办公室、信息员可以报送"),
    "/api/v1/catalogue-changes": start("requestCatalogueChange", "申请更正或撤回已发布的目录信息（分管领导审批）", "CatalogueChangeInput", "办公室、办公室主任、网站管理员可以申请"),
    "/api/v1/cases/{caseId}/approval-form": {
      get: {
        tags: ["staff"],
        operationId: "getApprovalForm",
        summary: "《信息公开审批表》：每位签批人、角色、日期和意见，按顺序",
        security: staffSecurity,
        parameters: [
          pathParameter("caseId", "信息或公文的案件编号"),
          { name: "format", in: "query", required: false, description: "html 可打印网页（默认）；docx Word 文档；json 数据", schema: { type: "string", enum: ["html", "docx", "json"] } },
        ],
        responses: {
          "200": {
            description: "审批表",
            content: { "text/html": { schema: { type: "string" } }, [DOCX_TYPE]: { schema: { type: "string", format: "binary" } }, "application/json": { schema: ref("ApprovalForm") } },
          },
          "400": badRequest("格式无效"),
          ...unauthorized,
          "403": error("当前角色无权查看该案件（FORBIDDEN）"),
          "404": error("案件不存在或没有审批表（NOT_FOUND）"),
        },
      },
    },
  };
}

export function openApiDocument(): Record<string, unknown> {
  const staffSecurity = [{ bearerAuth: [] }, { sessionCookie: [] }];
  const entryRoles = ["office_staff"] as const;
  const calendarRoles = ["administrator"] as const;

  const schemas: Record<string, JsonSchema> = {
    ApplicationInput: {
      ...withLabels(jsonSchemaOf(applicationInputSchema), { ...applicationFieldLabels, ...applicationConfirmationLabels }, { applicantType: applicantTypeLabels }),
      description:
        "政府信息公开申请（《政府信息公开条例》第二十九条）。字符串去除首尾空格；空字符串和 null 视为未填写；未知字段忽略；另一类申请人的字段忽略。" +
        `申请人类型：${labelList(applicantTypeLabels)}。组织类别：${labelList(organizationKindLabels)}。` +
        `身份证件类型：${labelList(idTypeLabels)}。提供形式：${labelList(deliveryFormLabels)}。获取方式：${labelList(deliveryWayLabels)}。` +
        "提供形式或获取方式为电子邮件时须填写电子邮箱，且二者须一致（电子邮件 ⇔ 电子邮件）。居民身份证号码按 GB 11643 校验（含出生日期不晚于今天），统一社会信用代码按 GB 32100 校验。",
    },
    ApplicationSubmission: {
      description: "POST /api/v1/applications 的请求体：申请（ApplicationInput）及可选的附件",
      allOf: [ref("ApplicationInput"), { type: "object", properties: { attachments: jsonSchemaOf(jsonAttachmentsSchema) } }],
    },
    CorrectionInput: jsonSchemaOf(correctionInputSchema),
    LoginInput: { ...jsonSchemaOf(loginSchema), description: "工作人员登录：所属机关代码、用户名和密码" },
    StaffEntryFacts: jsonSchemaOf(staffEntryFactsSchema),
    StaffApplicationEntry: {
      description:
        "办公室录入信函、挂号信件、传真或当面提交的申请：SPEC §7 的申请内容（ApplicationInput，校验与网上申请相同），加上收到方式和日期（StaffEntryFacts），可附附件。" +
        "录入即受理登记：按第三十一条确定收到申请之日，法定答复期限起算，出具受理回执，转入审查。",
      allOf: [ref("ApplicationInput"), ref("StaffEntryFacts"), { type: "object", properties: { attachments: jsonSchemaOf(jsonAttachmentsSchema) } }],
    },
    YearScheduleEntry: jsonSchemaOf(yearScheduleEntrySchema),
    ...publishingComponents(),
    ...consultationComponents(),
    ...transparencyComponents(),
    ...reportComponents(),
    ...accountComponents(),
    ...dutyComponents(),
    LocalClockMove: jsonSchemaOf(localClockMoveSchema),
    ...taskCompletionComponents(),
    ...viewComponents(),
    FieldError: {
      type: "object",
      required: ["path", "code", "message"],
      properties: {
        path: { type: "string", description: "出错的字段，如 idNumber、attachments.0、Idempotency-Key；空字符串表示整个请求" },
        code: {
          type: "string",
          description: "机器可读的错误代码",
          examples: ["required", "too_long", "too_many", "invalid_format", "invalid_checksum", "invalid_choice", "wrong_type", "inconsistent", "out_of_range", "unknown_agency", "unsupported_type", "too_large", "empty", "fixed_by_law", "not_applicable", "invalid_character", "invalid_encoding"],
        },
        message: { type: "string", description: "中文错误说明，含字段名称" },
      },
    },
    ErrorResponse: {
      type: "object",
      description: "所有错误答复的唯一格式",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          description: "错误",
          required: ["code", "message", "fields"],
          properties: {
            code: {
              type: "string",
              description: "机器可读的错误代码：通用代码见 examples，各接口另有业务代码（见各答复的说明）",
              examples: [
                ...Object.keys(errorStatus),
                "TOO_MANY_REQUESTS",
                "IDEMPOTENCY_KEY_REUSED",
                "NO_CORRECTION_NOTICE",
                "CORRECTION_PERIOD_OVER",
                "TASK_NOT_OPEN",
                "CASE_CLOSED",
                "OUTCOME_UNAVAILABLE",
                "CALENDAR_SCHEDULE_INVALID",
                "LOCAL_ONLY",
                "PASSWORD_CHANGE_REQUIRED",
                "TOTP_ENROLMENT_REQUIRED",
                "TOTP_REQUIRED",
              ],
            },
            message: { type: "string", description: "中文错误说明" },
            fields: { type: "array", items: ref("FieldError"), description: "出错的字段（没有时为空列表）" },
          },
        },
      },
    },
  };

  const paths = withLocalOnly({
    "/api/v1/openapi.json": {
      get: {
        tags: ["public"],
        operationId: "getOpenApi",
        summary: "本接口说明文件（OpenAPI 3.1）",
        security: [],
        responses: { "200": json({ type: "object" }, "OpenAPI 3.1 文档") },
      },
    },
    "/api/v1/applications": {
      post: {
        tags: ["public"],
        operationId: "submitApplication",
        summary: "提交政府信息公开申请",
        description:
          "网上申请。收到后返回申请编号和查询码；办公室确认收到（受理登记）之日为收到申请之日，法定答复期限自该日起算。" +
          "建议带 Idempotency-Key：网络中断后重试不会重复申请。",
        security: [],
        parameters: [idempotencyKeyParameter],
        requestBody: { required: true, content: { "application/json": { schema: ref("ApplicationSubmission") } } },
        responses: {
          "201": json(ref("ApplicationCreated"), "已收到申请（带相同 Idempotency-Key 和相同请求体的重复请求返回第一次的响应）"),
          "400": badRequest("申请字段、附件或 Idempotency-Key 不符合要求（受理机关不存在时 fields[].code 为 unknown_agency）"),
          ...jsonBodyErrors(ATTACHMENT_BODY_LIMIT_BYTES),
          "422": error("该 Idempotency-Key 已用于另一份内容不同的申请（IDEMPOTENCY_KEY_REUSED），请换用新的键"),
          "429": tooMany("同一网络地址提交申请过于频繁（每分钟 30 份、每小时 300 份、每天 1000 份；TOO_MANY_REQUESTS），Retry-After 秒后再试；机关门户的地址可设为受信任（intakeTrustedAddresses）"),
        },
      },
    },
    "/api/v1/applications/{trackingNumber}": {
      get: {
        tags: ["public"],
        operationId: "getApplicationStatus",
        summary: "查询申请办理情况",
        security: [{ accessCode: [] }],
        parameters: [trackingNumberParameter, accessCodeParameter],
        responses: {
          "200": json(ref("ApplicantView"), "办理情况"),
          "404": error("申请编号或查询码不正确（两种情况答复相同，NOT_FOUND）"),
          "429": tooMany("查询码错误次数过多（TOO_MANY_REQUESTS），Retry-After 秒后再试"),
        },
      },
    },
    "/api/v1/applications/{trackingNumber}/correction": {
      post: {
        tags: ["public"],
        operationId: "submitCorrection",
        summary: "在线补正（有待补正的补正告知时）",
        description: "提交后答复期限自收到补正之日起重新计算，申请转入重新审查。",
        security: [{ accessCode: [] }],
        parameters: [trackingNumberParameter, accessCodeParameter],
        requestBody: { required: true, content: { "application/json": { schema: ref("CorrectionInput") } } },
        responses: {
          "200": json(ref("CorrectionAccepted"), "补正已收到"),
          "400": badRequest("补正内容有误，或补正后的申请整体不符合要求，或什么也没有提交"),
          "404": error("申请编号或查询码不正确（NOT_FOUND）"),
          "409": error("当前没有待补正的补正告知（NO_CORRECTION_NOTICE），或申请状态刚刚发生变化（CONFLICT）"),
          ...jsonBodyErrors(),
          "422": error("补正期限已届满，逾期补正不予接受（CORRECTION_PERIOD_OVER）"),
          "429": tooMany("查询码错误次数过多（TOO_MANY_REQUESTS）"),
        },
      },
    },
    "/api/v1/applications/{trackingNumber}/letters/{letterId}": {
      get: {
        tags: ["public"],
        operationId: "getApplicantLetter",
        summary: "下载寄给申请人的文书（受理回执、补正告知书、延期答复告知书、答复书等）",
        security: [{ accessCode: [] }],
        parameters: [trackingNumberParameter, letterIdParameter, formatParameter, accessCodeParameter],
        responses: {
          "200": letterFile("文书文件"),
          "404": error("申请编号或查询码不正确，或没有这份寄给申请人的文书（NOT_FOUND）"),
          "429": tooMany("查询码错误次数过多（TOO_MANY_REQUESTS）"),
        },
      },
    },
    "/api/v1/applications/{trackingNumber}/access-code": {
      post: {
        tags: ["public"],
        operationId: "requestNewAccessCode",
        summary: "查询码遗失：向申请时填写的邮箱发送新的查询码",
        description: "无需请求体。答复总是 202 且内容相同，不透露申请编号是否存在或是否留有邮箱。",
        security: [],
        parameters: [trackingNumberParameter],
        responses: {
          "202": json(ref("AccessCodeRequested"), "已受理（任何情况答复相同）"),
          "429": tooMany("同一网络地址申请新查询码过于频繁（TOO_MANY_REQUESTS），Retry-After 秒后再试"),
        },
      },
    },
    "/api/v1/auth/login": {
      post: {
        tags: ["staff"],
        operationId: "login",
        summary: "工作人员登录",
        security: [],
        requestBody: { required: true, content: { "application/json": { schema: ref("LoginInput") } } },
        responses: {
          "200": json(ref("LoginResult"), "登录成功；同时设置办理平台的会话 Cookie", {
            headers: { "Set-Cookie": { description: `会话 Cookie ${SESSION_COOKIE}（HttpOnly，12 小时）`, schema: { type: "string" } } },
          }),
          "400": badRequest("登录信息不完整"),
          "401": error("机关、用户名或密码不正确（任何原因答复相同，UNAUTHORIZED）；或密码正确而本机关要求该用户使用双因素认证、缺少或填错动态验证码 totp（TOTP_REQUIRED）"),
          ...jsonBodyErrors(),
          "429": tooMany("登录失败次数过多（TOO_MANY_REQUESTS），Retry-After 秒后再试"),
        },
      },
    },
    "/api/v1/auth/logout": {
      post: {
        tags: ["staff"],
        operationId: "logout",
        summary: "退出登录",
        description: `令牌和会话随即失效。${csrfNote}。`,
        security: staffSecurity,
        parameters: [csrfParameter],
        responses: {
          "200": json(ref("SignedOut"), "已退出；会话 Cookie 被清除", { headers: { "Set-Cookie": { description: "清除会话 Cookie", schema: { type: "string" } } } }),
          ...unauthorized,
          "403": error("用会话 Cookie 调用但缺少或不匹配 CSRF 令牌（FORBIDDEN）"),
        },
      },
    },
    "/api/v1/tasks": {
      get: {
        tags: ["staff"],
        operationId: "listTasks",
        summary: "当前用户的角色可以办理的待办任务",
        description: "含逾期后督办到当前用户角色的待办。每个待办给出当前可以选择的办理结果及其字段（allowedOutcomes），提交见 POST /api/v1/tasks/{taskId}/complete。",
        security: staffSecurity,
        parameters: queryParameters(taskListQuerySchema),
        responses: {
          "200": {
            ...json(ref("TaskList"), "待办任务（一页，按办理期限先后排列；响应体即待办列表本身）"),
            headers: {
              "X-Total-Count": { description: "符合条件的待办总数", schema: { type: "integer" } },
              "X-Next-Cursor": { description: "下一页的游标；没有下一页时不返回", schema: { type: "string" } },
              Link: { description: '下一页的地址（rel="next"）；没有下一页时不返回', schema: { type: "string" } },
            },
          },
          "400": badRequest("status 只支持 open；limit、cursor、step、caseId 无效（fields[].path 指明参数）"),
          ...unauthorized,
        },
      },
    },
    "/api/v1/tasks/{taskId}/complete": {
      post: {
        tags: ["staff"],
        operationId: "completeTask",
        summary: "办结待办：选择办理结果并填写其字段",
        description:
          `请求体的结构由待办的流程和环节决定（TaskCompletion，按各环节和办理结果生成）。${csrfNote}。` +
          "办结后案件进入下一环节，或办结（签发答复时出具答复书）。",
        security: staffSecurity,
        parameters: [pathParameter("taskId", "待办编号"), csrfParameter],
        requestBody: { required: true, content: { "application/json": { schema: ref(TASK_COMPLETION) } } },
        responses: {
          "200": json(ref("TaskCompleted"), "案件的新状态"),
          "400": badRequest("办理结果无效或缺少，或字段缺少、无效（fields[].path 指明字段）"),
          ...unauthorized,
          "403": error("当前用户的角色无权办理该待办，该结果不能由工作人员选择，或缺少 CSRF 令牌（FORBIDDEN）"),
          "404": error("待办不存在（或属于其他机关，NOT_FOUND）"),
          "409": error(
            "待办已不是待办状态或刚被他人办理（TASK_NOT_OPEN），案件已办结（CASE_CLOSED），该结果当前不可选（OUTCOME_UNAVAILABLE），" +
              "或法律规定的限制（如已延期过一次 EXTENSION_ALREADY_GRANTED、延期超过上限 EXTENSION_OVER_CAP、已过答复期限 EXTENSION_TOO_LATE）",
          ),
          ...jsonBodyErrors(),
          "422": error("期限已过而依法不能办理（如逾期的书面补正，CORRECTION_PERIOD_OVER）"),
        },
      },
    },
    "/api/v1/cases": {
      get: {
        tags: ["staff"],
        operationId: "searchCases",
        summary: "查询依申请公开案件",
        description: "按申请编号、关键词、提交日期范围、办理状态、环节查询本机关的案件，最多返回 200 件。",
        security: staffSecurity,
        parameters: queryParameters(caseSearchQuerySchema),
        responses: {
          "200": json(ref("CaseSearchResult"), "查询结果"),
          "400": badRequest("查询条件有误"),
          ...unauthorized,
          "403": error(`当前角色无权查询依申请公开案件（可查询的角色：${applicationWorkflow.viewRoles.map(roleLabel).join("、")}）`),
        },
      },
    },
    "/api/v1/cases/{caseId}": {
      get: {
        tags: ["staff"],
        operationId: "getCase",
        summary: "案件详情：期限及计算说明、办理过程、待办、文书",
        security: staffSecurity,
        parameters: [pathParameter("caseId", "案件编号")],
        responses: {
          "200": json(ref("StaffCaseView"), "案件"),
          ...unauthorized,
          "403": error("当前角色无权查看该流程的案件（FORBIDDEN）"),
          "404": error("案件不存在（或属于其他机关，NOT_FOUND）"),
        },
      },
    },
    "/api/v1/cases/{caseId}/letters/{letterId}": {
      get: {
        tags: ["staff"],
        operationId: "getCaseLetter",
        summary: "下载案件的文书（含寄给第三方、其他机关的）",
        security: staffSecurity,
        parameters: [pathParameter("caseId", "案件编号"), letterIdParameter, formatParameter],
        responses: {
          "200": letterFile("文书文件"),
          ...unauthorized,
          "403": error("当前角色无权查看该案件的文书（FORBIDDEN）"),
          "404": error("案件或文书不存在（NOT_FOUND）"),
        },
      },
    },
    "/api/v1/staff/applications": {
      post: {
        tags: ["staff"],
        operationId: "enterApplication",
        summary: "录入信函、挂号信件、传真或当面提交的申请",
        description: `只有${entryRoles.map(roleLabel).join("、")}（${entryRoles.join("、")}）可以录入。${csrfNote}。`,
        security: staffSecurity,
        parameters: [csrfParameter],
        requestBody: { required: true, content: { "application/json": { schema: ref("StaffApplicationEntry") } } },
        responses: {
          "201": json(ref("StaffApplicationEntered"), "已录入并受理登记"),
          "400": badRequest("申请字段、收到方式、日期或附件不符合要求"),
          ...unauthorized,
          "403": error("当前角色无权录入申请，或缺少 CSRF 令牌（FORBIDDEN）"),
          ...jsonBodyErrors(ATTACHMENT_BODY_LIMIT_BYTES),
        },
      },
    },
    ...publishingPaths(staffSecurity),
    ...accountPaths({ staffSecurity, csrfParameter, pathParameter, json, error, badRequest, unauthorized, jsonBodyErrors, tooMany, csrfNote }),
    ...consultationPaths({ json, error, badRequest, tooMany, unauthorized, jsonBodyErrors: jsonBodyErrors(), csrfParameter, staffSecurity }),
    ...transparencyPaths({ json, error, badRequest }),
    ...dutyPaths({ staffSecurity, csrfParameter, csrfNote, json, error, badRequest, unauthorized }),
    "/api/v1/calendar/years": {
      get: {
        tags: ["staff"],
        operationId: "listCalendarYears",
        summary: "工作日历：各年份的放假安排（官方数据或人工录入）；缺失年份的期限为暂定",
        security: staffSecurity,
        responses: { "200": json(ref("CalendarYears"), "各年份"), ...unauthorized },
      },
      post: {
        tags: ["staff"],
        operationId: "enterCalendarYear",
        summary: "录入或更正某一年的放假安排（国务院办公厅通知），重新计算受影响的期限",
        description: `只有${calendarRoles.map(roleLabel).join("、")}（${calendarRoles.join("、")}）可以录入。请求体按文本读取后解析，不检查 Content-Type。${csrfNote}。`,
        security: staffSecurity,
        parameters: [csrfParameter],
        requestBody: { required: true, content: { "application/json": { schema: ref("YearScheduleEntry") } } },
        responses: {
          "201": json(ref("CalendarEntered"), "已录入"),
          "400": badRequest("放假安排有误（CALENDAR_SCHEDULE_INVALID），每处错误注明行号和字段"),
          ...unauthorized,
          "403": error("无权录入放假安排，或缺少 CSRF 令牌（FORBIDDEN）"),
          "409": error("同一年份刚被他人录入（CALENDAR_CONCURRENT_CHANGE），请刷新后重试"),
          "413": error(`请求体超过 ${kb(MAX_BODY_BYTES)}（PAYLOAD_TOO_LARGE）`),
        },
      },
    },
    "/api/v1/local/clock": {
      get: {
        tags: ["local"],
        operationId: "getLocalClock",
        summary: "（仅本地）本地时钟的当前时间",
        security: [],
        responses: { "200": json(ref("LocalClockNow"), "当前时间"), "503": error("不是本地运行环境（LOCAL_ONLY）") },
      },
      post: {
        tags: ["local"],
        operationId: "moveLocalClock",
        summary: "（仅本地）拨快时钟并触发到期的定时任务",
        description: "按工作日（保留时刻）或拨到指定的北京时间；拨动后到期的提醒、升级和期限届满处理立即触发。",
        security: [],
        requestBody: { required: true, content: { "application/json": { schema: ref("LocalClockMove") } } },
        responses: {
          "200": json(ref("LocalClockMoved"), "时钟已移动"),
          "400": badRequest("应只提供 advanceWorkingDays 或 to 中的一项，且格式正确"),
          "409": error("本地时钟只能向前拨（CONFLICT）"),
          ...jsonBodyErrors(),
          "503": error("不是本地运行环境（LOCAL_ONLY）"),
        },
      },
    },
  } as Record<string, Record<string, Operation>>);

  return {
    openapi: "3.1.0",
    info: {
      title: "公开 Gongkai — 政府信息公开 API",
      version: "1.0.0",
      description:
        "政府信息公开申请、查询与办理接口。公共接口供各机关门户网站接入；工作人员接口供办理平台、集成和脚本使用。" +
        "字段名称固定，今后只会增加可选字段、环节和办理结果。所有错误答复的格式相同：" +
        '`{"error": {"code", "message", "fields": [{"path", "code", "message"}]}}`，说明为中文。' +
        "日期为北京时间的 YYYY-MM-DD；期限按工作日计算（起算日不计入，跳过法定节假日，计入调休上班日）。",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "public", description: "公共接口（申请人、门户网站）" },
      { name: "staff", description: "工作人员接口（Bearer 令牌或办理平台的会话 Cookie）" },
      { name: "local", description: "仅本地运行环境提供，AWS 部署中不存在" },
    ],
    paths,
    components: {
      schemas,
      headers: {
        RetryAfter: { description: "多少秒后可以再试", schema: { type: "integer", minimum: 1 } },
      },
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "POST /api/v1/auth/login 返回的 token" },
        sessionCookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "办理平台的会话 Cookie（修改类请求须另带 X-CSRF-Token）" },
        accessCode: { type: "apiKey", in: "header", name: "X-Access-Code", description: "申请人的查询码" },
      },
    },
  };
}
