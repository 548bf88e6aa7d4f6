/**
 * 《信息公开审批表》 as a Word document (.docx): A4, 宋体 as the letters' titles, the
 * same content in the same order as the HTML page (./html.ts) — header, the fields two
 * to a row, one table row per signature in the order signed, the screening line.
 * `docx` is imported when a form is rendered, not when this module loads, so Lambda
 * cold starts stay cheap (as shared/ui/letters/docx.ts).
 */
import type { ApprovalForm } from "../../domain/approval-form";
import { APPROVAL_FORM_TITLE, fieldRows, formatSignedAt, screeningSummary, signatureOpinion } from "../../domain/approval-form";

/** Font sizes in half-points: 二号 22pt, 三号 16pt, 小四 12pt. */
const SIZE = { title: 44, agency: 32, body: 24 } as const;
const FONT = { ascii: "SimSun", hAnsi: "SimSun", eastAsia: "宋体", cs: "SimSun" };
/** A4 in twips, 25 mm top and bottom, 20 mm left and right: 9638 twips of line. */
const PAGE = { width: 11906, height: 16838 } as const;
const LINE_WIDTH = 9638;
/** share of the line per column (fields: label, value, label, value; signatures: 序号 … 意见) */
const FIELD_COLUMNS = [16, 34, 16, 34];
const SIGNATURE_COLUMNS = [8, 18, 14, 14, 18, 28];

const twips = (shares: number[]) => {
  const widths = shares.map((s) => Math.floor((LINE_WIDTH * s) / 100));
  widths[widths.length - 1]! += LINE_WIDTH - widths.reduce((a, b) => a + b, 0);
  return widths;
};

export async function renderApprovalFormDocx(form: ApprovalForm): Promise<Uint8Array> {
  const {
    AlignmentType,
    BorderStyle,
    Document,
    Packer,
    Paragraph,
    ShadingType,
    Table,
    TableCell,
    TableLayoutType,
    TableRow,
    TextRun,
    VerticalAlignTable,
    WidthType,
    convertMillimetersToTwip: mm,
  } = await import("docx");

  type Align = (typeof AlignmentType)[keyof typeof AlignmentType];
  const run = (text: string, o: { bold?: boolean; size?: number } = {}) =>
    new TextRun({ text, font: FONT, size: o.size ?? SIZE.body, ...(o.bold ? { bold: true } : {}), language: { eastAsia: "zh-CN" } });
  const para = (text: string, o: { align?: Align; bold?: boolean; size?: number; after?: number } = {}) =>
    new Paragraph({ alignment: o.align ?? AlignmentType.LEFT, spacing: { after: o.after ?? 0 }, children: [run(text, o)] });
  /** a text that may hold line breaks: one paragraph a line */
  const lines = (text: string, o: { align?: Align; bold?: boolean } = {}) => text.split(/\r?\n/).map((l) => para(l, o));

  const border = { style: BorderStyle.SINGLE, size: 6, color: "000000" };
  const borders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };
  const headShading = { fill: "F2F2F2", type: ShadingType.CLEAR, color: "auto" };
  const margins = { top: 60, bottom: 60, left: 100, right: 100 };

  const cell = (children: InstanceType<typeof Paragraph>[], width: number, o: { span?: number; head?: boolean } = {}) =>
    new TableCell({
      children,
      width: { size: width, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins,
      ...(o.span ? { columnSpan: o.span } : {}),
      ...(o.head ? { shading: headShading } : {}),
    });

  // ---- the item's fields: 标题 on a row of its own, then two label/value pairs a row
  const fw = twips(FIELD_COLUMNS);
  const wide = fw[1]! + fw[2]! + fw[3]!;
  const fieldTableRows = [
    new TableRow({ cantSplit: true, children: [cell([para("标题", { bold: true })], fw[0]!, { head: true }), cell(lines(form.title), wide, { span: 3 })] }),
    ...fieldRows(form).map(
      (pair) =>
        new TableRow({
          cantSplit: true,
          children:
            pair.length === 2
              ? pair.flatMap((f, i) => [cell([para(f.label, { bold: true })], fw[i * 2]!, { head: true }), cell(lines(f.value), fw[i * 2 + 1]!)])
              : [cell([para(pair[0]!.label, { bold: true })], fw[0]!, { head: true }), cell(lines(pair[0]!.value), wide, { span: 3 })],
        }),
    ),
  ];
  const fieldsTable = new Table({
    rows: fieldTableRows,
    width: { size: LINE_WIDTH, type: WidthType.DXA },
    columnWidths: fw,
    layout: TableLayoutType.FIXED,
    borders,
  });

  // ---- the signatures, in the order signed; the heading row repeats on every page
  const sw = twips(SIGNATURE_COLUMNS);
  const headings = ["序号", "环节", "角色", "签批人", "日期", "意见"];
  const signatureRows = [
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: headings.map((h, i) => cell([para(h, { bold: true, align: AlignmentType.CENTER })], sw[i]!, { head: true })),
    }),
    ...(form.signatures.length
      ? form.signatures.map((s, n) => {
          const { decision, opinion } = signatureOpinion(s);
          return new TableRow({
            cantSplit: true,
            children: [
              cell([para(String(n + 1), { align: AlignmentType.CENTER })], sw[0]!),
              cell(lines(s.stepLabel), sw[1]!),
              cell(lines(s.roleLabel), sw[2]!),
              cell(lines(s.name), sw[3]!),
              cell([para(formatSignedAt(s.at))], sw[4]!),
              cell([para(decision, { bold: true }), ...(opinion ? lines(opinion) : [])], sw[5]!),
            ],
          });
        })
      : [new TableRow({ children: [cell([para("尚无签批记录", { align: AlignmentType.CENTER })], LINE_WIDTH, { span: 6 })] })]),
  ];
  const signaturesTable = new Table({
    rows: signatureRows,
    width: { size: LINE_WIDTH, type: WidthType.DXA },
    columnWidths: sw,
    layout: TableLayoutType.FIXED,
    borders,
  });

  const screening = screeningSummary(form);
  const children = [
    para(form.agencyName, { align: AlignmentType.CENTER, size: SIZE.agency }),
    para(APPROVAL_FORM_TITLE, { align: AlignmentType.CENTER, bold: true, size: SIZE.title }),
    para(`（${form.kindLabel}）`, { align: AlignmentType.CENTER, after: 120 }),
    para(`编号：${form.reference}`, { align: AlignmentType.RIGHT, after: 60 }),
    para("基本信息", { bold: true, after: 60 }),
    fieldsTable,
    para("", { after: 120 }),
    para("审核签批（按签批先后）", { bold: true, after: 60 }),
    signaturesTable,
    ...(screening ? [para(""), para(screening)] : []),
  ];

  const file = new Document({
    title: `${APPROVAL_FORM_TITLE}（${form.reference}）`,
    creator: form.agencyName,
    styles: { default: { document: { run: { font: FONT, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: PAGE,
            margin: { top: mm(25), bottom: mm(25), left: mm(20), right: mm(20) },
          },
        },
        children,
      },
    ],
  });
  const buffer = await Packer.toBuffer(file);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
