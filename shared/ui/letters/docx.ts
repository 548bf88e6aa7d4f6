/**
 * A letter as a Word document (.docx): A4, GB/T 9704 margins, 仿宋 三号 body, the same
 * lines in the same order as the HTML page (letterLines). `docx` is imported when a
 * letter is rendered, not when this module loads, so Lambda cold starts stay cheap.
 */
import type { LetterDocument } from "../../domain/letters/types";
import type { LetterLine } from "../../domain/letters/text";
import { letterLines } from "../../domain/letters/text";

/** Font sizes in half-points: 二号 22pt, 三号 16pt, 四号 14pt. */
const SIZE = { title: 44, body: 32, small: 28 } as const;
const BODY_FONT = { ascii: "FangSong", hAnsi: "FangSong", eastAsia: "仿宋", cs: "FangSong" };
const TITLE_FONT = { ascii: "SimSun", hAnsi: "SimSun", eastAsia: "宋体", cs: "SimSun" };
/** 28pt exact line pitch, about 22 lines a page */
const LINE = 560;
/** two characters of 三号 text */
const INDENT = 640;

export async function renderLetterDocx(doc: LetterDocument): Promise<Uint8Array> {
  const { AlignmentType, Document, LineRuleType, Packer, Paragraph, TextRun, convertMillimetersToTwip: mm } = await import("docx");

  const para = (
    line: LetterLine,
    opts: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; bold?: boolean; size?: number; before?: number; title?: boolean },
  ) =>
    new Paragraph({
      alignment: opts.align ?? AlignmentType.BOTH,
      ...(opts.indent ? { indent: { firstLine: INDENT } } : {}),
      spacing: { line: opts.title ? 780 : LINE, lineRule: LineRuleType.EXACT, ...(opts.before ? { before: opts.before } : {}) },
      children: [
        new TextRun({
          text: line.text,
          font: opts.title ? TITLE_FONT : BODY_FONT,
          size: opts.size ?? SIZE.body,
          ...(opts.bold ? { bold: true } : {}),
          language: { eastAsia: "zh-CN" },
        }),
      ],
    });

  const children = letterLines(doc).map((line) => {
    switch (line.role) {
      case "title":
        return para(line, { align: AlignmentType.CENTER, bold: true, size: SIZE.title, title: true });
      case "number":
        return para(line, { align: AlignmentType.RIGHT });
      case "salutation":
        return para(line, { align: AlignmentType.LEFT });
      case "heading":
        return para(line, { indent: true, bold: true });
      case "signature":
        return para(line, { align: AlignmentType.RIGHT, before: LINE });
      case "date":
        return para(line, { align: AlignmentType.RIGHT });
      case "contact":
        return para(line, { align: AlignmentType.LEFT, size: SIZE.small, before: LINE / 2 });
      case "basis-heading":
        return para(line, { align: AlignmentType.LEFT, bold: true, size: SIZE.small, before: LINE });
      case "basis":
        return para(line, { indent: true, size: SIZE.small });
      case "paragraph":
      case "item":
      case "remedies":
      case "formula":
        return para(line, { indent: true });
    }
  });

  const file = new Document({
    title: `${doc.title}（${doc.number}）`,
    creator: doc.closing.agency,
    styles: { default: { document: { run: { font: BODY_FONT, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            // A4 in twips
            size: { width: 11906, height: 16838 },
            margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) },
          },
        },
        children,
      },
    ],
  });
  const buffer = await Packer.toBuffer(file);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
