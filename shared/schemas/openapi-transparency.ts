/**
 * OpenAPI of the public transparency pages' data (docs/transparency.md): one agency's figures
 * and the deployment's, as JSON (or CSV) from the counters. Counts of 1–4 in a breakdown
 * (a result cell, a month's applications) are the string "<5".
 */
import { resultCells } from "../domain/report/cells";
import { isoDate, int, list, ref, text, type JsonSchema } from "./openapi-json";

const shown = (description: string): JsonSchema => ({ oneOf: [{ type: "integer", minimum: 0 }, { type: "string", enum: ["<5"] }], description: `${description}；1 至 4 显示为 "<5"` });

export function transparencyComponents(): Record<string, JsonSchema> {
  const year: JsonSchema = {
    type: "object",
    required: ["year", "received", "answered", "onTime", "onTimeExtended", "results"],
    properties: {
      year: int("年度"),
      received: int("收到申请（按收到之日，年度报告 一、本年新收）"),
      answered: int("已答复（按办结之日，年度报告 三（七）总计）"),
      onTime: int("法定期限内答复（未延期）"),
      onTimeExtended: int("延期后期限内答复"),
      medianWorkingDays: int("答复用时中位数（工作日，暂停期间不计入；60 表示 60 个以上）；无答复时不出现"),
      p90WorkingDays: int("答复用时第 90 百分位（工作日）"),
      results: list(
        { type: "object", required: ["cell", "label", "count"], properties: { cell: { type: "string", enum: Object.keys(resultCells), description: "年度报告办理结果栏目的代码" }, label: text("年度报告的办理结果栏目"), count: shown("件数") } },
        "办理结果构成（SPEC §5.1 的各栏目）",
      ),
    },
  };
  return {
    TransparencyYear: year,
    TransparencyFigures: {
      type: "object",
      required: ["thisYear", "lastYear", "openNow", "overdueNow", "months", "consultations"],
      properties: {
        thisYear: ref("TransparencyYear"),
        lastYear: ref("TransparencyYear"),
        openNow: int("正在办理的申请"),
        overdueNow: int("已超过法定答复期限的申请"),
        months: list({ type: "object", required: ["month", "received", "published"], properties: { month: text("月份 YYYY-MM"), received: shown("收到申请"), published: int("主动公开的政府信息") } }, "本年各月"),
        consultations: {
          type: "object",
          required: ["open", "closed", "commentsOnOpen", "commentsOnClosed"],
          properties: { open: int("正在征求意见"), closed: int("已结束"), commentsOnOpen: int("正在征求意见的意见数"), commentsOnClosed: int("已结束的意见数") },
          description: "征求意见情况",
        },
      },
    },
    AgencyTransparency: {
      type: "object",
      required: ["agency", "asOf", "figures"],
      properties: { agency: { type: "object", properties: { code: text("机关代码"), name: text("机关名称") }, description: "机关" }, asOf: isoDate("统计日"), figures: ref("TransparencyFigures") },
    },
    DeploymentTransparency: {
      type: "object",
      required: ["asOf", "agencies", "figures", "byAgency"],
      properties: {
        asOf: isoDate("统计日"),
        agencies: int("机关数"),
        figures: ref("TransparencyFigures"),
        byAgency: list({ type: "object", properties: { agencyCode: text("机关代码"), received: int("本年收到"), answered: int("本年已答复"), onTime: int("本年期限内答复"), openNow: int("正在办理"), overdueNow: int("超期") } }, "各机关本年主要数字"),
      },
    },
  };
}

interface Helpers {
  json(schema: JsonSchema, description: string): unknown;
  error(description: string): unknown;
  badRequest(what: string): unknown;
}

export function transparencyPaths(h: Helpers): Record<string, Record<string, unknown>> {
  const format = { name: "format", in: "query", required: false, description: "html（默认）、json 或 csv", schema: { type: "string", enum: ["html", "json", "csv"] } };
  const csv = { "text/csv": { schema: { type: "string" } }, "text/html": { schema: { type: "string" } } };
  return {
    "/transparency": {
      get: {
        tags: ["public"],
        operationId: "getDeploymentTransparency",
        summary: "公开透明度（全部机关合计）：依申请公开办理情况、答复用时（工作日）、办理结果构成、各月主动公开、征求意见",
        security: [],
        parameters: [format],
        responses: { "200": { ...(h.json(ref("DeploymentTransparency"), "全部机关的统计") as Record<string, unknown>), content: { "application/json": { schema: ref("DeploymentTransparency") }, ...csv } }, "400": h.badRequest("format 无效") },
      },
    },
    "/transparency/{agencyCode}": {
      get: {
        tags: ["public"],
        operationId: "getAgencyTransparency",
        summary: "一个机关的公开透明度；机关代码后加 .json 或 .csv 取得数据",
        security: [],
        parameters: [{ name: "agencyCode", in: "path", required: true, description: "机关代码，可带 .json 或 .csv 后缀", schema: { type: "string", maxLength: 45 } }, format],
        responses: {
          "200": { ...(h.json(ref("AgencyTransparency"), "该机关的统计") as Record<string, unknown>), content: { "application/json": { schema: ref("AgencyTransparency") }, ...csv } },
          "400": h.badRequest("format 无效"),
          "404": h.error("机关不存在（NOT_FOUND；HTML 为 404 页面）"),
        },
      },
    },
  };
}
