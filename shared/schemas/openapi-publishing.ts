/**
 * OpenAPI components of the publishing workflows (SPEC §7.2): what starts an item, a
 * document or a catalogue change, and what they answer. Field rules are those of
 * shared/app/publishing/submit.ts; enumerations come from their data.
 */
import { catalogueColumns } from "../domain/catalogue/columns";
import { channelLabels } from "../domain/workflows/publication/data";
import { disclosureAttributeLabels } from "../domain/workflows/document/definition";
import { findingKindLabels } from "../domain/screening";
import { publishingFileLimits } from "../app/publishing/submit";
import { list, objectOf, ref, text, type JsonSchema } from "./openapi-json";

const files = (description: string): JsonSchema => ({
  type: "array",
  maxItems: publishingFileLimits.maxFiles,
  description: `${description}；每个 {name, data}，data 为 Base64 编码的文件内容；单个不超过 1.5 MB，图片和附件合计不超过 3 MB；类型按文件内容判断`,
  items: { type: "object", required: ["name", "data"], additionalProperties: false, description: "一个文件", properties: { name: { type: "string", maxLength: 200, description: "文件名" }, data: { type: "string", description: "Base64 编码的文件内容" } } },
});

const content = {
  title: { type: "string", maxLength: 200, description: "标题" },
  body: { type: "string", maxLength: 100_000, description: "正文：HTML（保留段落、标题、列表、表格、强调和链接，其余标签和属性去除）或纯文本（每行一段）" },
};

const choices = (labels: Record<string, string>) => Object.keys(labels);
const described = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k} ${v}`).join("；");

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: "string", description, ...extra });
const int = (description: string): JsonSchema => ({ type: "integer", description });
const obj = (description: string, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: "object", description, properties, ...(required.length ? { required } : {}) });
const dated = (description: string) => obj(description, { at: str("时间", { format: "date-time" }), on: str("日期（北京时间）", { format: "date" }), note: str("说明") });

/** The public catalogue's JSON (shared/http/public-site-routes.ts). */
function catalogueComponents(): Record<string, JsonSchema> {
  const common = {
    indexNumber: str("索引号：机关代码/年份-序号"),
    title: str("标题"),
    column: str("栏目代码", { enum: catalogueColumns.map((c) => c.code) }),
    columnLabel: str("栏目名称"),
    documentNumber: str("文件编号（公文）"),
    writtenOn: str("成文日期", { format: "date" }),
    publisher: str("发布机构"),
    publishedOn: str("发布日期", { format: "date" }),
    url: str("公开页面地址"),
  };
  return {
    CatalogueListItem: obj("目录中的一条信息", common, ["indexNumber", "title", "column", "writtenOn", "publishedOn", "publisher", "url"]),
    CatalogueList: obj(
      "政府信息公开目录：按栏目、年份浏览，按标题、文号和全文检索（已撤回的不列出，其页面仍可访问）",
      {
        agency: { ...obj("所查机关；未指定机关时为 null（列出全部机关的目录）", { code: str("机关代码"), name: str("机关名称") }), type: ["object", "null"] },
        total: int("符合条件的条数"),
        page: int("页码"),
        pageSize: int("每页条数"),
        entries: { type: "array", description: "本页信息，标题命中在前，其次文号、全文，同等时新的在前", items: ref("CatalogueListItem") },
        facets: obj("分面计数", {
          columns: { type: "array", description: "各栏目条数", items: obj("栏目", { code: str("栏目代码"), label: str("栏目名称"), count: int("条数") }) },
          years: { type: "array", description: "各年份条数", items: obj("年份", { year: int("年份"), count: int("条数") }) },
        }),
      },
      ["agency", "total", "page", "pageSize", "entries", "facets"],
    ),
    CatalogueEntryView: obj("目录信息的公开内容（已撤回的不含正文和附件）", {
      ...common,
      agencyCode: str("机关代码"),
      disclosureMode: str("公开方式"),
      scope: str("公开范围"),
      publishedAt: str("发布时间", { format: "date-time" }),
      status: str("状态：published 已发布；withdrawn 已撤回", { enum: ["published", "withdrawn"] }),
      revision: int("版本：发布为 1，每次更正或撤回加 1"),
      corrections: { type: "array", description: "更正说明", items: dated("一次更正") },
      withdrawn: dated("撤回说明"),
      bodyHtml: str("正文（HTML）"),
      text: str("正文（纯文本）"),
      attachments: { type: "array", description: "附件", items: obj("附件", { name: str("文件名"), contentType: str("类型"), size: int("字节数"), url: str("下载地址") }) },
    }),
  };
}

export function publishingComponents(): Record<string, JsonSchema> {
  return {
    ...catalogueComponents(),
    PublicationInput: {
      type: "object",
      description: "网站和微信公众号信息（seed 政务信息公开发布及审核制度）：信息员报送 → 办公室复核 → 重要内容报分管领导审核 → 发布到所选渠道并登记索引号。报送时即进行内容筛查。",
      required: ["title", "body", "channels"],
      properties: {
        ...content,
        channels: { type: "array", minItems: 1, maxItems: 2, items: { type: "string", enum: choices(channelLabels) }, description: `发布渠道：${described(channelLabels)}` },
        column: { type: "string", enum: catalogueColumns.map((c) => c.code), description: `目录栏目（发布到门户网站时必填）：${catalogueColumns.map((c) => `${c.code} ${c.label}`).join("；")}` },
        important: { type: "boolean", description: "重要内容：复核后报分管领导审核" },
        section: { type: "string", maxLength: 100, description: "报送科室" },
        images: files("图片（JPEG、PNG）"),
        attachments: files("附件（PDF、DOCX、TXT、JPEG、PNG；DOCX 和 TXT 的文字参与筛查，其余标为未能筛查）"),
      },
    },
    DocumentInput: {
      type: "object",
      description: "公文（seed 公文类信息主动公开工作流程）：拟稿科室提出公开属性 → 办公室负责人定密审核 → 办公室审核公开属性 → 分管领导审签 → 印发 → 主动公开的在目录发布 → 每月比对。",
      required: ["title", "body", "disclosureAttribute"],
      properties: {
        ...content,
        disclosureAttribute: { type: "string", enum: choices(disclosureAttributeLabels), description: `拟定公开属性：${described(disclosureAttributeLabels)}` },
        reason: { type: "string", maxLength: 2000, description: "不公开或依申请公开的理由（此时必填）" },
        column: { type: "string", enum: catalogueColumns.map((c) => c.code), description: "目录栏目（主动公开时发布到的栏目，默认 policy 政策文件）" },
        section: { type: "string", maxLength: 100, description: "拟稿科室" },
        attachments: files("附件"),
        normative: { type: "boolean", description: "是否行政规范性文件：印发后生成政策解读待办（谁起草谁解读），默认发布到 normative 行政规范性文件栏目" },
        interpretation: {
          type: "object",
          description: "与文件代拟稿一并报送的解读初稿（仅行政规范性文件）",
          required: ["title", "body"],
          properties: { title: { type: "string", maxLength: 200, description: "解读标题" }, body: { type: "string", maxLength: 50_000, description: "解读正文（纯文本，每行一段）" } },
        },
        interpretationWorkingDays: { type: "integer", minimum: 0, maximum: 5, description: "印发后完成解读修改的期限（工作日），0 为印发当日（默认）" },
        consultationCaseId: { type: "string", description: "该文件草案公开征求意见的案件编号，文件页面显示征求意见情况" },
      },
    },
    CatalogueChangeInput: {
      type: "object",
      description: "已发布信息的更正（correct：提供新的标题和正文）或撤回（withdraw）；经分管领导同意后生效，目录页面公开说明，原内容存档。",
      required: ["indexNumber", "action", "note"],
      properties: {
        indexNumber: { type: "string", description: "索引号，如 001008010002002/2026-000001" },
        action: { type: "string", enum: ["correct", "withdraw"], description: "correct 更正；withdraw 撤回" },
        note: { type: "string", maxLength: 2000, description: "公开的更正说明或撤回说明" },
        ...content,
      },
    },
    ScreeningFinding: objectOf<{ id: string; kind: string; category: string; label: string; source: string; start: number; end: number; passage: string }>(
      "内容筛查发现的一处内容",
      {
        id: text("编号（放行时引用）"),
        kind: { type: "string", enum: Object.keys(findingKindLabels), description: described(findingKindLabels) },
        category: text("所属禁止发布类别（seed 第七条）"),
        label: text("说明"),
        source: text("位置：title、body 或 attachment:<文件名>"),
        start: { type: "integer", description: "在该位置文字中的起点（UTF-16）" },
        end: { type: "integer", description: "终点（不含）" },
        passage: text("发现的内容"),
      },
      {},
    ),
    ScreeningReport: objectOf<{ findings: unknown[]; unscreened: unknown[]; chars: number }>(
      "内容筛查结果；有发现时，每个审核环节须区分处理删除或写明放行理由后才能通过",
      {
        findings: list(ref("ScreeningFinding"), "发现"),
        unscreened: list({ type: "object", description: "未经筛查的附件", properties: { source: { type: "string", description: "attachment:<文件名>" }, reason: { type: "string", description: "未能筛查的原因" } } }, "未能读取文字、未经筛查的附件"),
        chars: { type: "integer", description: "筛查的字数" },
      },
      {},
    ),
    WorkflowStarted: objectOf<{ caseId: string; reference: string; status: string; screening: unknown }>(
      "已报送，转入第一个环节",
      { caseId: text("案件编号"), reference: text("报送编号"), status: text("状态"), screening: ref("ScreeningReport") },
      { screening: true },
    ),
    ApprovalForm: {
      type: "object",
      description: "《信息公开审批表》：报送、复核、审核、保密审查、发布的每位签批人，按时间顺序",
      properties: {
        agencyName: { type: "string", description: "机关名称" },
        reference: { type: "string", description: "报送编号" },
        title: { type: "string", description: "标题" },
        kindLabel: { type: "string", description: "类别：网站/微信信息或公文" },
        fields: { type: "array", description: "表头各栏", items: { type: "object", description: "一栏", properties: { label: { type: "string", description: "栏目" }, value: { type: "string", description: "内容" } } } },
        signatures: {
          type: "array",
          description: "签批记录，按时间顺序",
          items: {
            type: "object",
            description: "一次签批",
            properties: {
              stepLabel: { type: "string", description: "环节" },
              roleLabel: { type: "string", description: "角色" },
              name: { type: "string", description: "签批人" },
              at: { type: "string", format: "date-time", description: "时间" },
              decisionLabel: { type: "string", description: "结论" },
              opinion: { type: "string", description: "意见" },
            },
          },
        },
        screening: {
          type: "object",
          description: "内容筛查汇总",
          properties: {
            findings: { type: "integer", description: "发现处数" },
            overridden: { type: "integer", description: "写明理由放行的处数" },
            redacted: { type: "integer", description: "区分处理删除的处数" },
            unscreened: { type: "integer", description: "未能筛查的附件数" },
          },
        },
      },
    },
  };
}


