/**
 * OpenAPI of the public consultation on drafts (SPEC §7.3): the drafting section's
 * submission, the public lists, one consultation and a comment. Field rules are those of
 * shared/app/consultations/{submit,public}.ts; enumerations come from the workflow's data.
 */
import { consultationSituations, dispositionLabels, explanationPartLabels, situationLabels } from "../domain/workflows/consultation/data";
import { consultationLimits } from "../app/consultations/submit";
import { commentLimits, commentRateLimits } from "../app/consultations/public";
import { bool, int, isoDate, list, ref, text, type JsonSchema } from "./openapi-json";

export function consultationComponents(): Record<string, JsonSchema> {
  const explanation: JsonSchema = {
    type: "object",
    description: "起草说明（第五条）：四部分均须填写",
    required: ["necessity", "problems", "measures", "process"],
    properties: Object.fromEntries(Object.entries(explanationPartLabels).map(([k, v]) => [k, text(v, { maxLength: consultationLimits.explanationPart })])),
  };
  return {
    ConsultationInput: {
      type: "object",
      description:
        "行政规范性文件草案及起草说明（《关于行政规范性文件草案公开征求意见的规定》）：办公室发布后公开征求意见不少于7个工作日；属于第七条情形的须先登记专家咨询论证，第九条须登记座谈会或听证会，第十条须登记社会团体、行业协会意见，否则不能报送审议（第十三条）。依第四条不公开征求意见的，提供 exempt.reason。",
      required: ["title", "draft", "explanation"],
      properties: {
        title: text("草案标题", { maxLength: consultationLimits.title }),
        draft: text("草案正文（纯文本，每行一段）", { maxLength: consultationLimits.draft }),
        explanation: ref("DraftingExplanation"),
        situations: { type: "array", items: { type: "string", enum: [...consultationSituations] }, description: `适用的第七条情形（可多选）：${Object.entries(situationLabels).map(([k, v]) => `${k} ${v}`).join("；")}` },
        publicInterest: bool("是否涉及重大公共利益或公众切身利益（第九条）"),
        sectorInterests: bool("是否涉及特定团体、行业利益（第十条）"),
        exempt: { type: "object", description: "依第四条不公开征求意见（依法不得公开或者应急性的事项）", required: ["reason"], properties: { reason: text("理由", { maxLength: consultationLimits.exemptReason }) } },
        section: text("起草科室", { maxLength: 100 }),
      },
    },
    DraftingExplanation: explanation,
    ConsultationStarted: {
      type: "object",
      description: "已报送",
      required: ["caseId", "reference", "status"],
      properties: { caseId: text("案件编号"), reference: text("征求意见编号，如 ZQ-2026-00001"), status: text("案件状态：awaiting_publication 待发布，exempt 依第四条不公开征求意见") },
    },
    Consultation: {
      type: "object",
      description: "已发布的征求意见",
      required: ["caseId", "title", "opensOn", "closesOn", "status", "draft", "explanation"],
      properties: {
        caseId: text("案件编号"),
        agencyCode: text("机关代码"),
        reference: text("征求意见编号"),
        title: text("草案标题"),
        opensOn: isoDate("发布日期（不计入期限）"),
        closesOn: isoDate("截止日期：发布日后第 N 个工作日，当日24时（北京时间）截止"),
        workingDays: int("征求意见期限（工作日）"),
        status: { type: "string", enum: ["open", "closed"], description: "open 正在征求意见；closed 已结束" },
        draft: text("草案正文"),
        explanation: ref("DraftingExplanation"),
        url: text("公开网址（起草说明中附此网址，第十二条）"),
        commentCount: int("已收到的意见条数"),
        summary: {
          type: "object",
          description: "意见采纳情况（第十一条），全部意见处理后公开；意见中的个人信息以 ■ 代替，不公开姓名和联系方式",
          properties: {
            publishedOn: isoDate("公开日期"),
            adopted: int("采纳"),
            partlyAdopted: int("部分采纳"),
            notAdopted: int("不予采纳"),
            comments: list(
              {
                type: "object",
                description: "一条意见及其处理",
                properties: {
                  commentId: text("意见编号"),
                  receivedOn: isoDate("收到日期"),
                  text: text("意见内容（个人信息已隐去）"),
                  decision: { type: "string", enum: Object.keys(dispositionLabels), description: Object.entries(dispositionLabels).map(([k, v]) => `${k} ${v}`).join("；") },
                  decisionLabel: text("处理结果"),
                  reason: text("理由"),
                },
              },
              "每条意见的处理结果",
            ),
          },
        },
      },
    },
    ConsultationList: list(ref("Consultation"), "征求意见列表，按发布日期从新到旧"),
    CommentInput: {
      type: "object",
      description: "对草案的意见；姓名、联系方式选填且不公开；含身份证号码、电话号码等个人信息的意见暂不公开（待审核），公开时隐去这些信息",
      required: ["text"],
      properties: {
        text: text("意见内容", { maxLength: commentLimits.text }),
        name: text("姓名（选填）", { maxLength: commentLimits.name }),
        contact: text("联系方式（选填）：电子邮箱或电话；填写电子邮箱的，意见不予采纳时通过邮件反馈理由", { maxLength: commentLimits.contact }),
      },
    },
    CommentReceived: {
      type: "object",
      description: "意见已收到",
      required: ["commentId", "held"],
      properties: { commentId: text("意见编号，如 C1"), held: bool("是否因含个人信息而暂不公开") },
    },
  };
}

interface Helpers {
  json(schema: JsonSchema, description: string): unknown;
  error(description: string): unknown;
  badRequest(what: string): unknown;
  tooMany(description: string): unknown;
  unauthorized: Record<string, unknown>;
  jsonBodyErrors: Record<string, unknown>;
  csrfParameter: unknown;
  staffSecurity: unknown[];
}

export function consultationPaths(h: Helpers): Record<string, Record<string, unknown>> {
  const caseIdParameter = { name: "caseId", in: "path", required: true, description: "征求意见的案件编号", schema: { type: "string" } };
  return {
    "/api/v1/consultations": {
      get: {
        tags: ["public"],
        operationId: "listConsultations",
        summary: "公开征求意见的草案：正在征求意见的和已结束的（含意见采纳情况）",
        security: [],
        parameters: [
          { name: "status", in: "query", required: false, description: "open 正在征求意见；closed 已结束；不填为全部", schema: { type: "string", enum: ["open", "closed"] } },
          { name: "agency", in: "query", required: false, description: "机关代码；不填为全部机关", schema: { type: "string" } },
        ],
        responses: { "200": h.json(ref("ConsultationList"), "征求意见列表"), "400": h.badRequest("status 或 agency 无效") },
      },
      post: {
        tags: ["staff"],
        operationId: "submitConsultation",
        summary: "起草科室报送行政规范性文件草案及起草说明，申请公开征求意见（或依第四条不公开征求意见）",
        description: "科室负责人、信息员可以报送。办公室的待办 publish_consultation 以 publish（workingDays ≥ 7）发布；起草科室的待办 submit_for_review 以 submit 报送审议，征求意见程序未完成时返回 409 并列出缺少的内容（第十三条）。使用会话 Cookie 调用时还须在 X-CSRF-Token 请求头中提供会话的 CSRF 令牌（否则 403）。",
        security: h.staffSecurity,
        parameters: [h.csrfParameter],
        requestBody: { required: true, content: { "application/json": { schema: ref("ConsultationInput") } } },
        responses: {
          "201": h.json(ref("ConsultationStarted"), "已报送"),
          "400": h.badRequest("草案、起草说明、第七条情形或第四条理由不符合要求"),
          ...h.unauthorized,
          "403": h.error("只有起草科室可以报送，或缺少 CSRF 令牌（FORBIDDEN）"),
          ...h.jsonBodyErrors,
        },
      },
    },
    "/api/v1/consultations/{caseId}": {
      get: {
        tags: ["public"],
        operationId: "getConsultation",
        summary: "一项征求意见：草案、起草说明、征求意见期限、状态和意见采纳情况",
        security: [],
        parameters: [caseIdParameter],
        responses: { "200": h.json(ref("Consultation"), "征求意见"), "404": h.error("不存在或尚未发布（NOT_FOUND）") },
      },
    },
    "/api/v1/consultations/{caseId}/comments": {
      post: {
        tags: ["public"],
        operationId: "submitConsultationComment",
        summary: "对正在征求意见的草案提出意见",
        description: `同一网络地址每分钟最多 ${commentRateLimits.perMinute.max} 条、每天最多 ${commentRateLimits.perDay.max} 条。`,
        security: [],
        parameters: [caseIdParameter],
        requestBody: { required: true, content: { "application/json": { schema: ref("CommentInput") } } },
        responses: {
          "201": h.json(ref("CommentReceived"), "意见已收到"),
          "400": h.badRequest("意见内容、姓名或联系方式不符合要求"),
          "404": h.error("征求意见不存在或尚未发布（NOT_FOUND）"),
          "409": h.error("征求意见已截止（CONSULTATION_CLOSED），或网上意见已达上限（TOO_MANY_COMMENTS）"),
          "429": h.tooMany("提交过于频繁（TOO_MANY_REQUESTS）"),
          ...h.jsonBodyErrors,
        },
      },
    },
  };
}
