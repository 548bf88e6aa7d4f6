/**
 * The OpenAPI 3.1 description of SPEC §7, served at `/api/v1/openapi.json`.
 * The application body is generated from its zod schema; the rest is written by hand
 * because those bodies are produced, not parsed, here.
 */
import { z } from "zod";
import {
  applicantTypeLabels,
  applicationInputSchema,
  deliveryFormLabels,
  deliveryWayLabels,
  idTypeLabels,
  organizationKindLabels,
} from "../schemas/application";
import { caseStatusLabels, stepLabels } from "../domain/labels";
import { roleLabels } from "../domain/roles";

type JsonSchema = Record<string, unknown>;

function withoutDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema, description: string) => ({ description, content: { "application/json": { schema } } });
const errorResponse = (description: string) => json(ref("ErrorResponse"), description);

const labelList = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k} ${v}`)
    .join("；");

const isoDate = { type: "string", format: "date", description: "YYYY-MM-DD（北京时间的日期）" };
const isoInstant = { type: "string", format: "date-time" };

const accessCodeParameter = {
  name: "X-Access-Code",
  in: "header",
  required: true,
  description: "提交申请时获得的查询码",
  schema: { type: "string" },
};
const trackingNumberParameter = {
  name: "trackingNumber",
  in: "path",
  required: true,
  description: "申请编号",
  schema: { type: "string" },
};

export function openApiDocument(): Record<string, unknown> {
  const applicationInput = withoutDialect(z.toJSONSchema(applicationInputSchema, { io: "input", unrepresentable: "any" }) as JsonSchema);

  const schemas: Record<string, JsonSchema> = {
    ApplicationInput: {
      ...applicationInput,
      description:
        "政府信息公开申请（《政府信息公开条例》第二十九条）。字符串会去除首尾空格；空字符串视为未填写；未知字段忽略。" +
        `申请人类型：${labelList(applicantTypeLabels)}。组织类别：${labelList(organizationKindLabels)}。` +
        `身份证件类型：${labelList(idTypeLabels)}。提供形式：${labelList(deliveryFormLabels)}。获取方式：${labelList(deliveryWayLabels)}。`,
    },
    ApplicationCreated: {
      type: "object",
      required: ["trackingNumber", "accessCode", "status"],
      properties: {
        trackingNumber: { type: "string", description: "申请编号" },
        accessCode: { type: "string", description: "查询码：仅此一次返回，请申请人妥善保存" },
        status: ref("CaseStatus"),
      },
    },
    CaseStatus: {
      type: "string",
      description: `办理状态：${labelList(caseStatusLabels)}（今后可能增加取值）`,
      examples: Object.keys(caseStatusLabels),
    },
    ApplicationStatus: {
      type: "object",
      required: ["trackingNumber", "status", "receivedOn", "dueOn", "dueIsProvisional", "events", "letters"],
      properties: {
        trackingNumber: { type: "string" },
        status: ref("CaseStatus"),
        receivedOn: { ...isoDate, type: ["string", "null"], description: "收到申请之日（第三十一条）；网上申请以办公室确认之日为准，确认前为 null" },
        dueOn: { ...isoDate, type: ["string", "null"], description: "答复期限（工作日计算）" },
        dueIsProvisional: { type: "boolean", description: "期限跨入尚未公布放假安排的年份时为 true（暂定）" },
        events: { type: "array", items: ref("TimelineEvent") },
        letters: { type: "array", items: ref("Letter") },
      },
    },
    TimelineEvent: {
      type: "object",
      required: ["at", "kind", "description"],
      properties: {
        at: isoInstant,
        kind: { type: "string" },
        description: { type: "string", description: "中文说明" },
      },
    },
    Letter: {
      type: "object",
      required: ["letterId", "kind", "title", "issuedOn"],
      properties: {
        letterId: { type: "string" },
        kind: { type: "string", description: "文书类型，如 correction_notice（补正告知书）、extension_notice（延期答复告知书）、reply（答复书）" },
        title: { type: "string" },
        issuedOn: isoDate,
        url: { type: "string", description: "下载地址（如有）" },
      },
    },
    CorrectionInput: {
      type: "object",
      description: "补正内容：补正告知书所列的字段，字段名与 ApplicationInput 相同，只提交需要补正的字段",
      additionalProperties: true,
      properties: (applicationInput.properties as JsonSchema | undefined) ?? {},
    },
    LoginInput: {
      type: "object",
      required: ["agencyCode", "username", "password"],
      properties: {
        agencyCode: { type: "string", pattern: "^\\d{15}$" },
        username: { type: "string" },
        password: { type: "string", format: "password" },
      },
    },
    LoginResult: { type: "object", required: ["token"], properties: { token: { type: "string", description: "用作 Authorization: Bearer" } } },
    Role: { type: "string", enum: Object.keys(roleLabels), description: labelList(roleLabels) },
    Task: {
      type: "object",
      required: ["taskId", "caseId", "workflow", "step", "role", "dueAt", "dueIsProvisional", "allowedOutcomes"],
      properties: {
        taskId: { type: "string" },
        caseId: { type: "string" },
        workflow: { type: "string", description: "流程，如 application（依申请公开）" },
        step: { type: "string", description: `环节：${labelList(stepLabels)}（今后可能增加）` },
        role: ref("Role"),
        dueAt: isoInstant,
        dueIsProvisional: { type: "boolean" },
        allowedOutcomes: {
          type: "array",
          items: {
            type: "object",
            required: ["outcome", "fields"],
            properties: {
              outcome: { type: "string" },
              fields: {
                type: "array",
                items: {
                  type: "object",
                  required: ["name"],
                  properties: {
                    name: { type: "string" },
                    label: { type: "string" },
                    type: { type: "string" },
                    required: { type: "boolean" },
                  },
                },
              },
            },
          },
        },
      },
    },
    TaskList: { type: "array", items: ref("Task"), description: "按办理期限先后排列的待办任务" },
    TaskCompletion: {
      type: "object",
      required: ["outcome"],
      additionalProperties: true,
      properties: { outcome: { type: "string", description: "allowedOutcomes 之一；其余字段按该结果的 fields 填写" } },
    },
    TaskCompleted: { type: "object", required: ["status"], properties: { caseId: { type: "string" }, status: ref("CaseStatus") } },
    Deadline: {
      type: "object",
      required: ["kind", "dueOn", "provisional", "explanation"],
      properties: {
        kind: { type: "string" },
        dueOn: isoDate,
        provisional: { type: "boolean" },
        paused: { type: "boolean" },
        explanation: { type: "array", items: { type: "string" }, description: "期限的计算说明（中文，逐条）" },
      },
    },
    Case: {
      type: "object",
      required: ["caseId", "workflow", "status", "deadlines", "timeline", "letters"],
      properties: {
        caseId: { type: "string" },
        trackingNumber: { type: "string" },
        workflow: { type: "string" },
        status: ref("CaseStatus"),
        application: { type: "object", description: "申请内容；无权处理个人信息的角色看到的是脱敏后的内容" },
        deadlines: { type: "array", items: ref("Deadline") },
        timeline: { type: "array", items: ref("TimelineEvent") },
        letters: { type: "array", items: ref("Letter") },
      },
    },
    LocalClockInput: {
      oneOf: [
        { type: "object", required: ["advanceWorkingDays"], properties: { advanceWorkingDays: { type: "integer", minimum: 1 } } },
        { type: "object", required: ["to"], properties: { to: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$" } } },
      ],
    },
    LocalClockResult: {
      type: "object",
      properties: { now: isoInstant, fired: { type: "integer", description: "本次触发的定时任务数" } },
    },
    FieldError: {
      type: "object",
      required: ["path", "code", "message"],
      properties: {
        path: { type: "string", description: "出错字段，如 idNumber；空字符串表示整个请求体" },
        code: {
          type: "string",
          description: "机器可读的错误代码",
          examples: ["required", "too_long", "invalid_format", "invalid_checksum", "invalid_choice", "wrong_type", "inconsistent"],
        },
        message: { type: "string", description: "中文错误说明，含字段名称" },
      },
    },
    ErrorResponse: {
      type: "object",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["code", "message", "fields"],
          properties: {
            code: {
              type: "string",
              enum: [
                "VALIDATION_FAILED",
                "MALFORMED_JSON",
                "UNAUTHORIZED",
                "FORBIDDEN",
                "NOT_FOUND",
                "METHOD_NOT_ALLOWED",
                "CONFLICT",
                "PAYLOAD_TOO_LARGE",
                "UNSUPPORTED_MEDIA_TYPE",
                "INTERNAL_ERROR",
              ],
            },
            message: { type: "string", description: "中文错误说明" },
            fields: { type: "array", items: ref("FieldError") },
          },
        },
      },
    },
  };

  const badRequest = errorResponse("请求有误（VALIDATION_FAILED 或 MALFORMED_JSON），逐字段给出中文说明；不保存任何内容");
  const staffSecurity = [{ bearerAuth: [] }, { sessionCookie: [] }];
  const staffErrors = { "401": errorResponse("未登录或登录已失效") };

  return {
    openapi: "3.1.0",
    info: {
      title: "公开 Gongkai — 政府信息公开 API",
      version: "1.0.0",
      description:
        "政府信息公开申请、查询与办理接口。公共接口供各机关门户网站接入；工作人员接口供办理平台、集成和脚本使用。字段名称固定，今后只会增加可选字段。",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "public", description: "公共接口（申请人）" },
      { name: "staff", description: "工作人员接口" },
      { name: "local", description: "仅本地运行环境提供，AWS 部署中不存在" },
    ],
    paths: {
      "/api/v1/openapi.json": {
        get: {
          tags: ["public"],
          operationId: "getOpenApi",
          summary: "本接口说明文件",
          responses: { "200": json({ type: "object" }, "OpenAPI 3.1 文档") },
        },
      },
      "/api/v1/applications": {
        post: {
          tags: ["public"],
          operationId: "submitApplication",
          summary: "提交政府信息公开申请",
          requestBody: { required: true, content: { "application/json": { schema: ref("ApplicationInput") } } },
          responses: {
            "201": json(ref("ApplicationCreated"), "已收到申请，返回申请编号和查询码"),
            "400": badRequest,
            "413": errorResponse("请求体过大"),
            "415": errorResponse("请求体类型不是 application/json"),
          },
        },
      },
      "/api/v1/applications/{trackingNumber}": {
        get: {
          tags: ["public"],
          operationId: "getApplicationStatus",
          summary: "查询申请办理情况",
          parameters: [trackingNumberParameter, accessCodeParameter],
          security: [{ accessCode: [] }],
          responses: {
            "200": json(ref("ApplicationStatus"), "办理情况"),
            "404": errorResponse("申请编号或查询码不正确（两种情况答复相同）"),
          },
        },
      },
      "/api/v1/applications/{trackingNumber}/correction": {
        post: {
          tags: ["public"],
          operationId: "submitCorrection",
          summary: "提交补正材料（存在未办结的补正告知时）",
          parameters: [trackingNumberParameter, accessCodeParameter],
          security: [{ accessCode: [] }],
          requestBody: { required: true, content: { "application/json": { schema: ref("CorrectionInput") } } },
          responses: {
            "200": json(ref("ApplicationStatus"), "补正已收到"),
            "400": badRequest,
            "404": errorResponse("申请编号或查询码不正确"),
            "409": errorResponse("当前没有待补正的告知"),
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
            "200": {
              ...json(ref("LoginResult"), "登录成功；同时设置办理平台的会话 Cookie"),
              headers: { "Set-Cookie": { schema: { type: "string" } } },
            },
            "400": badRequest,
            "401": errorResponse("机关、用户名或密码不正确（任何原因答复相同）"),
          },
        },
      },
      "/api/v1/auth/logout": {
        post: {
          tags: ["staff"],
          operationId: "logout",
          summary: "退出登录",
          security: staffSecurity,
          responses: { "204": { description: "已退出" }, ...staffErrors },
        },
      },
      "/api/v1/tasks": {
        get: {
          tags: ["staff"],
          operationId: "listTasks",
          summary: "当前用户的角色可以办理的待办任务",
          security: staffSecurity,
          parameters: [{ name: "status", in: "query", required: false, schema: { type: "string", enum: ["open"], default: "open" } }],
          responses: { "200": json(ref("TaskList"), "待办任务"), ...staffErrors },
        },
      },
      "/api/v1/tasks/{taskId}/complete": {
        post: {
          tags: ["staff"],
          operationId: "completeTask",
          summary: "办结任务",
          security: staffSecurity,
          parameters: [{ name: "taskId", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, content: { "application/json": { schema: ref("TaskCompletion") } } },
          responses: {
            "200": json(ref("TaskCompleted"), "案件的新状态"),
            "400": badRequest,
            ...staffErrors,
            "403": errorResponse("当前用户的角色无权办理该任务"),
            "404": errorResponse("任务不存在"),
            "409": errorResponse("任务已不是待办状态"),
          },
        },
      },
      "/api/v1/cases/{caseId}": {
        get: {
          tags: ["staff"],
          operationId: "getCase",
          summary: "案件详情：期限及计算说明、办理过程、文书",
          security: staffSecurity,
          parameters: [{ name: "caseId", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": json(ref("Case"), "案件"), ...staffErrors, "403": errorResponse("无权查看"), "404": errorResponse("案件不存在") },
        },
      },
      "/api/v1/calendar/years": {
        get: {
          tags: ["staff"],
          operationId: "listCalendarYears",
          summary: "工作日历：各年份的放假安排（官方或人工录入），缺失年份的期限为暂定",
          security: staffSecurity,
          responses: {
            "200": json({ type: "object", required: ["years"], properties: { years: { type: "array", items: { type: "object" } } } }, "各年份"),
            ...staffErrors,
          },
        },
        post: {
          tags: ["staff"],
          operationId: "enterCalendarYear",
          summary: "录入或更正某一年的放假安排（国务院办公厅通知），重新计算暂定期限",
          security: staffSecurity,
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", description: "一年的放假安排，格式与仓库中的官方数据文件相同" } } } },
          responses: {
            "201": json({ type: "object", properties: { entered: { type: "array", items: { type: "object" } } } }, "已录入"),
            "400": badRequest,
            ...staffErrors,
            "403": errorResponse("无权录入放假安排"),
          },
        },
      },
      "/api/v1/local/clock": {
        post: {
          tags: ["local"],
          operationId: "moveLocalClock",
          summary: "（仅本地）拨快时钟并触发到期的定时任务",
          description: "只在本地运行环境提供，AWS 部署中不存在。",
          "x-local-only": true,
          security: [],
          requestBody: { required: true, content: { "application/json": { schema: ref("LocalClockInput") } } },
          responses: { "200": json(ref("LocalClockResult"), "时钟已移动"), "400": badRequest },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "POST /api/v1/auth/login 返回的 token" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "gongkai_session", description: "办理平台的会话 Cookie" },
        accessCode: { type: "apiKey", in: "header", name: "X-Access-Code", description: "申请人的查询码" },
      },
    },
  };
}
