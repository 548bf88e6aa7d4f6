import { readFileSync } from "node:fs";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { ApprovalForm } from "../../../shared/domain/approval-form";
import { formatSignedAt, screeningSummary } from "../../../shared/domain/approval-form";
import { renderApprovalFormDocx } from "../../../shared/ui/approval-form/docx";
import { renderApprovalFormHtml } from "../../../shared/ui/approval-form/html";

const injected = `<script>alert(1)</script>"><img src=x onerror=alert(1)>&amp;`;

function form(overrides: Partial<ApprovalForm> = {}): ApprovalForm {
  return {
    agencyName: "台州市黄岩区行政服务中心",
    reference: "XX-2026-0042",
    title: "关于2027年元旦假期办事大厅开放时间的公告",
    kindLabel: "网站/微信信息",
    fields: [
      { label: "报送科室", value: "综合科" },
      { label: "信息员", value: "信息员 周洁" },
      { label: "拟发布渠道", value: "门户网站、微信公众号" },
      { label: "栏目", value: "通知公告" },
      { label: "是否重要", value: "否" },
      { label: "公开属性", value: "主动公开" },
      { label: "索引号", value: "001008003004001/2026-00042" },
    ],
    signatures: [
      // 06:05 UTC is 14:05 in Beijing
      { stepLabel: "科室负责人审核", roleLabel: "科室负责人", name: "科室负责人 赵刚", at: "2026-12-02T06:05:00Z", decisionLabel: "同意" },
      { stepLabel: "办公室审核", roleLabel: "办公室", name: "办公室 王敏", at: "2026-12-02T07:30:00Z", decisionLabel: "同意", opinion: "标题已规范。" },
      { stepLabel: "分管领导审批", roleLabel: "分管领导", name: "分管领导 陈静", at: "2026-12-02T16:10:00Z", decisionLabel: "同意发布", opinion: "请于明日上午发布。" },
    ],
    screening: { findings: 3, overridden: 1, redacted: 2, unscreened: 0 },
    ...overrides,
  };
}

const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function expectInOrder(text: string, needles: string[]) {
  let at = -1;
  for (const needle of needles) {
    const i = text.indexOf(needle, at + 1);
    expect(i, `${needle} after position ${at}`).toBeGreaterThan(at);
    at = i;
  }
}

async function documentXml(f: ApprovalForm): Promise<string> {
  const bytes = await renderApprovalFormDocx(f);
  expect(bytes).toBeInstanceOf(Uint8Array);
  expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("PK\u0003\u0004");
  const entries = unzipSync(bytes);
  expect(Object.keys(entries)).toEqual(expect.arrayContaining(["[Content_Types].xml", "word/document.xml"]));
  return strFromU8(entries["word/document.xml"]!);
}

/** the text of a document.xml, run by run (Word may split a sentence into runs) */
const plainText = (xml: string) =>
  [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
    .map((m) => m[1]!.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!))
    .join("\n");

describe("Beijing time on the form", () => {
  it("prints an instant as a Beijing date and time, whatever the process time zone", () => {
    expect(formatSignedAt("2026-12-02T06:05:00Z")).toBe("2026年12月2日 14:05");
    // 16:10 UTC is past midnight in Beijing: the next day
    expect(formatSignedAt("2026-12-02T16:10:00Z")).toBe("2026年12月3日 00:10");
    expect(formatSignedAt("2026-12-31T23:59:59.999+08:00")).toBe("2026年12月31日 23:59");
  });

  it("never prints raw ISO text for something that is no instant", () => {
    expect(formatSignedAt("")).toBe("—");
    expect(formatSignedAt("yesterday")).toBe("—");
  });
});

describe("screening line", () => {
  it("says what was found and what became of it", () => {
    expect(screeningSummary(form())).toBe("内容检查：发现疑似问题 3 处，经审核保留 1 处，已删改 2 处。");
    expect(screeningSummary(form({ screening: { findings: 0, overridden: 0, redacted: 0, unscreened: 2 } }))).toContain("2 个附件无法读取文字");
    expect(screeningSummary(form({ screening: undefined }))).toBeUndefined();
  });
});

describe("HTML approval form", () => {
  it("is a complete printable A4 page without scripts or external resources", () => {
    const page = renderApprovalFormHtml(form());
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain("@page{size:A4");
    expect(page).toContain("@media print");
    expect(page).toMatch(/font-family:"SimSun","宋体"/);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
    expect(page).toContain('<p class="agency">台州市黄岩区行政服务中心</p>');
    expect(page).toContain("<h1>信息公开审批表</h1>");
    expect(page).toContain("<title>信息公开审批表（XX-2026-0042）</title>");
  });

  it("lists every field, labelled, in the order given", () => {
    const page = renderApprovalFormHtml(form());
    expectInOrder(page, ["标题", "关于2027年元旦假期", "报送科室", "综合科", "信息员", "信息员 周洁", "拟发布渠道", "栏目", "是否重要", "公开属性", "索引号", "001008003004001/2026-00042"]);
    // seven fields: the last one has the row to itself
    expect(page).toContain('<th scope="row">索引号</th><td colspan="3">001008003004001/2026-00042</td>');
  });

  it("lists every signer in the order they signed, with step, role, Beijing time and opinion", () => {
    const page = renderApprovalFormHtml(form());
    expectInOrder(page, ["序号", "环节", "角色", "签批人", "日期", "意见"]);
    expectInOrder(page, [
      "科室负责人审核", "科室负责人 赵刚", "2026年12月2日 14:05", "同意",
      "办公室审核", "办公室 王敏", "2026年12月2日 15:30", "标题已规范。",
      "分管领导审批", "分管领导 陈静", "2026年12月3日 00:10", "同意发布", "请于明日上午发布。",
    ]);
    expect(page).toContain('<tr><td class="n">1</td><td>科室负责人审核</td><td>科室负责人</td><td class="name">科室负责人 赵刚</td><td>2026年12月2日 14:05</td>');
    expect(page).not.toContain("2026-12-02T");
    expect(page).toContain("内容检查：发现疑似问题 3 处，经审核保留 1 处，已删改 2 处。");
  });

  it("says so when nobody has signed yet", () => {
    const page = renderApprovalFormHtml(form({ signatures: [], screening: undefined }));
    expect(page).toContain("尚无签批记录");
    expect(page).not.toContain("内容检查");
  });

  it("escapes every text", () => {
    const page = renderApprovalFormHtml(
      form({
        agencyName: `机关${injected}`,
        reference: `</title><script>x()</script>`,
        title: injected,
        kindLabel: "<b>公文</b>",
        fields: [{ label: "<i>栏目</i>", value: injected }],
        signatures: [{ stepLabel: "<u>审核</u>", roleLabel: "<em>角色</em>", name: "张三<b>", at: "2026-12-02T06:05:00Z", decisionLabel: "<s>同意</s>", opinion: `</td><script>y()</script>` }],
      }),
    );
    expect(page).not.toMatch(/<script|<img|<b>|<i>|<u>|<em>|<s>/i);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;");
    expect(page).toContain("张三&lt;b&gt;");
    expect(page).toContain("&lt;/td&gt;&lt;script&gt;y()&lt;/script&gt;");
    expect(page).toContain("&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;");
  });
});

describe(".docx approval form", () => {
  it("loads docx only when a form is rendered", () => {
    const source = readFileSync(new URL("../../../shared/ui/approval-form/docx.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^import (?!type)[^;]*from "docx"/m);
    expect(source).toContain('await import("docx")');
  });

  it("is a Word document on A4 in 宋体 with the same content in the same order as the page", async () => {
    const f = form();
    const xml = await documentXml(f);
    expect(xml).toMatch(/<w:pgSz[^>]*w:w="11906"[^>]*w:h="16838"/);
    expect(xml).toContain('w:eastAsia="宋体"');
    expect(xml).toContain("<w:tbl>");
    const text = plainText(xml);
    expectInOrder(text, [
      "台州市黄岩区行政服务中心",
      "信息公开审批表",
      "（网站/微信信息）",
      "编号：XX-2026-0042",
      "标题",
      f.title,
      ...f.fields.flatMap((x) => [x.label, x.value]),
      "序号", "环节", "角色", "签批人", "日期", "意见",
      "1", "科室负责人审核", "科室负责人", "科室负责人 赵刚", "2026年12月2日 14:05", "同意",
      "2", "办公室审核", "办公室", "办公室 王敏", "2026年12月2日 15:30", "同意", "标题已规范。",
      "3", "分管领导审批", "分管领导", "分管领导 陈静", "2026年12月3日 00:10", "同意发布", "请于明日上午发布。",
      "内容检查：发现疑似问题 3 处，经审核保留 1 处，已删改 2 处。",
    ]);
    expect(text).not.toContain("2026-12-02T");
  });

  it("lists every signer in order however many there are, the heading row repeating on each page", async () => {
    const signatures = Array.from({ length: 25 }, (_, i) => ({
      stepLabel: `第${i + 1}环节`,
      roleLabel: "办公室",
      name: `签批人${String(i + 1).padStart(2, "0")}`,
      at: new Date(Date.UTC(2026, 11, 2, 0, i)).toISOString(),
      decisionLabel: "同意",
    }));
    const xml = await documentXml(form({ signatures }));
    expectInOrder(plainText(xml), signatures.map((s) => s.name));
    expect(xml).toContain("<w:tblHeader/>");
    expect(xml.match(/<w:tr>|<w:tr /g)?.length).toBe(1 + 4 + 1 + 25); // fields: 标题 + 4 rows; signatures: heading + 25
  });

  it("keeps line breaks of an opinion as paragraphs, and escapes markup as text", async () => {
    const xml = await documentXml(
      form({
        title: injected,
        signatures: [{ stepLabel: "审核", roleLabel: "办公室", name: "张三<b>", at: "2026-12-02T06:05:00Z", decisionLabel: "退回修改", opinion: "第一条。\n第二条。" }],
      }),
    );
    // markup is text in the document: escaped in the XML, the same characters when read back
    expect(xml).not.toMatch(/<script|<img|<b>/);
    expect(xml).toContain(xmlText("张三<b>"));
    expect(plainText(xml)).toContain(injected);
    expect(plainText(xml)).toContain("张三<b>");
    expectInOrder(plainText(xml), ["退回修改", "第一条。", "第二条。"]);
  });
});
