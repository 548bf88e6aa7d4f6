import { Document, Footer, Header, Packer, Paragraph, TextRun } from "docx";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { attachmentText } from "../../../shared/app/screening/attachment-text";
import { defaultScreeningSettings, screen } from "../../../shared/domain/screening";

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

async function docx(paragraphs: string[], extras: { header?: string; footer?: string } = {}): Promise<Uint8Array> {
  const doc = new Document({
    sections: [
      {
        ...(extras.header ? { headers: { default: new Header({ children: [new Paragraph(extras.header)] }) } } : {}),
        ...(extras.footer ? { footers: { default: new Footer({ children: [new Paragraph(extras.footer)] }) } } : {}),
        children: paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })),
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

describe("plain text attachments", () => {
  it("reads UTF-8, with or without a BOM", () => {
    // Prepare
    const utf8 = new TextEncoder().encode("名单：张三 13812345678");
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    // Act / Assess
    expect(attachmentText("名单.txt", "text/plain", utf8)).toEqual({ text: "名单：张三 13812345678" });
    expect(attachmentText("名单.txt", "text/plain", withBom)).toEqual({ text: "名单：张三 13812345678" });
  });

  it("falls back to GB18030 when the bytes are not UTF-8", () => {
    // Prepare: "身份证" in GBK/GB18030, as Notepad of a Chinese Windows saves it
    const gbk = new Uint8Array([0xc9, 0xed, 0xb7, 0xdd, 0xd6, 0xa4, 0x31, 0x32]);
    // Act
    const result = attachmentText("旧文件.TXT", "application/octet-stream", gbk);
    // Assess
    expect(result).toEqual({ text: "身份证12" });
  });

  it("reads UTF-16 with a BOM", () => {
    // Prepare
    const le = new Uint8Array([0xff, 0xfe, 0x2d, 0x4e, 0x87, 0x65]); // 中文
    // Act / Assess
    expect(attachmentText("a.txt", "text/plain", le)).toEqual({ text: "中文" });
  });

  it("refuses a binary file under a text name", () => {
    // Prepare
    const binary = new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x00, 0x01]);
    // Act
    const result = attachmentText("data.txt", "text/plain", binary);
    // Assess
    expect(result).toHaveProperty("unreadable");
  });
});

describe("Word attachments", () => {
  it("reads paragraphs, one per line, and the headers and footers", async () => {
    // Prepare
    const body = await docx(["关于张三的答复", "身份证号11010519491231002X", "A & B <C> \"D\""], { header: "机密★1年", footer: "第1页" });
    // Act
    const result = attachmentText("答复.docx", docxType, body);
    // Assess
    expect(result).toHaveProperty("text");
    const text = (result as { text: string }).text;
    expect(text.split("\n").slice(0, 3)).toEqual(["关于张三的答复", "身份证号11010519491231002X", "A & B <C> \"D\""]);
    expect(text).toContain("机密★1年");
    expect(text).toContain("第1页");
  });

  it("feeds screening: findings carry the attachment as source", async () => {
    // Prepare
    const body = await docx(["联系人手机13812345678"]);
    const read = attachmentText("通知.docx", "application/octet-stream", body);
    // Act
    const report = screen([{ source: "attachment:通知.docx", ...read }], defaultScreeningSettings);
    // Assess
    expect(report.findings.map((f) => [f.source, f.kind, f.passage])).toEqual([["attachment:通知.docx", "mobile", "13812345678"]]);
    expect(report.unscreened).toEqual([]);
  });

  it("reads tabs, breaks and tracked deletions but not tab stops or field codes", () => {
    // Prepare: a hand-made minimal docx
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="x"><w:body>' +
      '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>甲</w:t><w:tab/><w:t xml:space="preserve">乙 </w:t><w:br/><w:t>丙&#x4E01;&amp;</w:t></w:r></w:p>' +
      '<w:p/><w:p><w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r><w:del><w:r><w:delText>删去的13812345678</w:delText></w:r></w:del></w:p>' +
      "</w:body></w:document>";
    const body = zipSync({ "word/document.xml": strToU8(xml), "[Content_Types].xml": strToU8("<Types/>") });
    // Act
    const result = attachmentText("x.docx", docxType, body);
    // Assess
    expect(result).toEqual({ text: "甲\t乙 \n丙丁&\n\n删去的13812345678" });
  });

  it("flags a corrupt docx or one without a document as unreadable", () => {
    // Prepare
    const corrupt = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]);
    const noDocument = zipSync({ "word/styles.xml": strToU8("<w:styles/>") });
    // Act / Assess
    for (const body of [corrupt, noDocument, new Uint8Array()]) {
      const result = attachmentText("坏文件.docx", docxType, body);
      expect(result).toHaveProperty("unreadable");
      expect((result as { unreadable: string }).unreadable).toMatch(/未经筛查/);
    }
  });
});

describe("unreadable attachments", () => {
  it("flags a PDF, also under another name", () => {
    // Prepare
    const pdf = new TextEncoder().encode("%PDF-1.7\n%âãÏÓ\n1 0 obj");
    // Act / Assess
    expect(attachmentText("扫描件.pdf", "application/pdf", pdf)).toEqual({ unreadable: "无法读取PDF文字，未经筛查" });
    expect(attachmentText("扫描件.txt", "text/plain", pdf)).toEqual({ unreadable: "无法读取PDF文字，未经筛查" });
    expect(attachmentText("扫描件.pdf", "application/pdf", new Uint8Array([1, 2, 3]))).toEqual({ unreadable: "无法读取PDF文字，未经筛查" });
  });

  it("flags images, old Word files and anything else", () => {
    // Prepare
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    // Act
    const results = [
      attachmentText("照片.png", "image/png", png),
      attachmentText("照片", "application/octet-stream", png),
      attachmentText("旧.doc", "application/msword", ole),
      attachmentText("表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", new Uint8Array([0x50, 0x4b, 0x03, 0x04])),
      attachmentText("noname", "", new Uint8Array([1, 2, 3])),
    ];
    // Assess
    expect(results[0]).toEqual({ unreadable: "无法读取图片中的文字，未经筛查" });
    expect(results[1]).toEqual({ unreadable: "无法读取图片中的文字，未经筛查" });
    expect(results[3]).toEqual({ unreadable: "无法读取此类文件（.xlsx）的文字，未经筛查" });
    for (const r of results) expect(r).toHaveProperty("unreadable");
  });
});
