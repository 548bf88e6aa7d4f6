/**
 * 《信息公开审批表》 as a printable A4 page: zh-CN, no scripts, no external resources,
 * every text escaped. The same content in the same order as the .docx (./docx.ts):
 * header, the item's fields two to a row, every signature in the order signed, the
 * screening line.
 */
import type { ApprovalForm } from "../../domain/approval-form";
import { APPROVAL_FORM_TITLE, fieldRows, formatSignedAt, screeningSummary, signatureOpinion } from "../../domain/approval-form";
import type { Html } from "../html";
import { html, raw } from "../html";

// a form, not a letter: 宋体 throughout (as the letters' titles), 小四 body, narrower margins than GB/T 9704
const styles = `
@page{size:A4;margin:25mm 20mm 25mm 20mm}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#e9e9e9;color:#000;font-family:"SimSun","宋体","STSong","Songti SC","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:12pt;line-height:1.6}
.sheet{width:210mm;min-height:297mm;margin:1rem auto;padding:25mm 20mm;background:#fff;box-shadow:0 0 4px rgba(0,0,0,.25)}
.agency{text-align:center;font-size:16pt;margin:0;letter-spacing:.1em}
h1{font-family:"STZhongsong","SimSun","宋体","Songti SC","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:22pt;font-weight:700;text-align:center;margin:.2em 0 .1em;line-height:1.4;letter-spacing:.2em}
.kind{text-align:center;margin:0 0 .8em}
.reference{text-align:right;margin:0 0 .3em}
table{width:100%;border-collapse:collapse;table-layout:fixed;margin:0 0 1em}
th,td{border:1px solid #000;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere;white-space:pre-wrap}
th{font-weight:700;background:#f2f2f2}
table.fields th{width:16%}
table.fields td{width:34%}
caption{text-align:left;font-weight:700;font-size:13pt;padding:.2em 0}
table.signatures col.n{width:8%}
table.signatures col.step{width:18%}
table.signatures col.role{width:14%}
table.signatures col.name{width:14%}
table.signatures col.at{width:18%}
table.signatures td.n{text-align:center}
.decision{font-weight:700}
.screening{margin:.5em 0 0}
.empty{text-align:center;color:#333}
@media print{body{background:#fff}.sheet{width:auto;min-height:0;margin:0;padding:0;box-shadow:none}thead{display:table-header-group}tr{break-inside:avoid}h1{break-after:avoid}}
`;

function fieldsTable(form: ApprovalForm): Html {
  const rows = fieldRows(form);
  return html`<table class="fields">
<caption>基本信息</caption>
<tbody>
<tr><th scope="row">标题</th><td colspan="3">${form.title}</td></tr>
${rows.map((pair) =>
  pair.length === 2
    ? html`<tr>${pair.map((f) => html`<th scope="row">${f.label}</th><td>${f.value}</td>`)}</tr>`
    : html`<tr><th scope="row">${pair[0]!.label}</th><td colspan="3">${pair[0]!.value}</td></tr>`,
)}
</tbody>
</table>`;
}

function signaturesTable(form: ApprovalForm): Html {
  const body = form.signatures.length
    ? form.signatures.map((s, i) => {
        const { decision, opinion } = signatureOpinion(s);
        return html`<tr><td class="n">${i + 1}</td><td>${s.stepLabel}</td><td>${s.roleLabel}</td><td class="name">${s.name}</td><td>${formatSignedAt(s.at)}</td><td><span class="decision">${decision}</span>${opinion ? html`<br>${opinion}` : ""}</td></tr>`;
      })
    : html`<tr><td class="empty" colspan="6">尚无签批记录</td></tr>`;
  return html`<table class="signatures">
<caption>审核签批（按签批先后）</caption>
<colgroup><col class="n"><col class="step"><col class="role"><col class="name"><col class="at"><col class="opinion"></colgroup>
<thead><tr><th scope="col">序号</th><th scope="col">环节</th><th scope="col">角色</th><th scope="col">签批人</th><th scope="col">日期</th><th scope="col">意见</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

export function renderApprovalFormHtml(form: ApprovalForm): string {
  const screening = screeningSummary(form);
  const page = html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${APPROVAL_FORM_TITLE}（${form.reference}）</title>
<style>${raw(styles)}</style>
</head>
<body>
<article class="sheet">
<header>
<p class="agency">${form.agencyName}</p>
<h1>${APPROVAL_FORM_TITLE}</h1>
<p class="kind">（${form.kindLabel}）</p>
<p class="reference">编号：${form.reference}</p>
</header>
${fieldsTable(form)}
${signaturesTable(form)}
${screening ? html`<p class="screening">${screening}</p>` : ""}
</article>
</body>
</html>
`;
  return page.value;
}
