/**
 * A letter as a printable A4 page: zh-CN, no scripts, no external resources, every
 * text escaped. The words and their order come from letterLines, as in the .docx.
 */
import type { LetterDocument } from "../../domain/letters/types";
import type { LetterLine } from "../../domain/letters/text";
import { letterLines } from "../../domain/letters/text";
import type { Html } from "../html";
import { html, raw } from "../html";

// GB/T 9704 proportions: 三号仿宋 body (16pt), 二号 title (22pt), margins 37/26/35/28 mm
const styles = `
@page{size:A4;margin:37mm 26mm 35mm 28mm}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#e9e9e9;color:#000;font-family:"FangSong","STFangsong","FangSong_GB2312","仿宋","Noto Serif CJK SC","Source Han Serif SC","Songti SC",serif;font-size:16pt;line-height:1.75}
.sheet{width:210mm;min-height:297mm;margin:1rem auto;padding:37mm 26mm 35mm 28mm;background:#fff;box-shadow:0 0 4px rgba(0,0,0,.25)}
h1{font-family:"STZhongsong","SimSun","Songti SC","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:22pt;font-weight:700;text-align:center;margin:0 0 .6em;line-height:1.4}
.number{text-align:right;text-indent:0;margin:0 0 1em}
p{margin:0;text-indent:2em;text-align:justify;overflow-wrap:anywhere}
.salutation{text-indent:0}
h2{font-size:16pt;font-weight:700;margin:0;text-indent:2em}
ol{list-style:none;margin:0;padding:0}
ol li{text-indent:2em;text-align:justify;overflow-wrap:anywhere}
.formula{margin-top:0}
.signature{margin-top:2em;text-align:right;text-indent:0}
.date{text-align:right;text-indent:0}
.contact{margin-top:1em;text-indent:0;font-size:14pt}
.basis{margin-top:2em;border-top:1px solid #000;padding-top:.6em;font-size:14pt}
.basis h2{font-size:14pt;text-indent:0}
.basis p{text-indent:2em}
@media print{body{background:#fff}.sheet{width:auto;min-height:0;margin:0;padding:0;box-shadow:none}.basis{break-inside:auto}h1,h2{break-after:avoid}.signature,.date{break-inside:avoid}}
`;

/** Consecutive list items become one <ol>; their numbers are in the text, as in the .docx. */
function renderLines(lines: LetterLine[]): Html[] {
  const out: Html[] = [];
  let items: string[] = [];
  const flush = () => {
    if (items.length) out.push(html`<ol>${items.map((t) => html`<li>${t}</li>`)}</ol>`);
    items = [];
  };
  for (const line of lines) {
    if (line.role === "item") {
      items.push(line.text);
      continue;
    }
    flush();
    switch (line.role) {
      case "title":
        out.push(html`<h1>${line.text}</h1>`);
        break;
      case "number":
        out.push(html`<p class="number">${line.text}</p>`);
        break;
      case "salutation":
        out.push(html`<p class="salutation">${line.text}</p>`);
        break;
      case "heading":
        out.push(html`<h2>${line.text}</h2>`);
        break;
      case "paragraph":
        out.push(html`<p>${line.text}</p>`);
        break;
      case "remedies":
        out.push(html`<p class="remedies">${line.text}</p>`);
        break;
      case "formula":
        out.push(html`<p class="formula">${line.text}</p>`);
        break;
      case "signature":
        out.push(html`<p class="signature">${line.text}</p>`);
        break;
      case "date":
        out.push(html`<p class="date">${line.text}</p>`);
        break;
      case "contact":
        out.push(html`<p class="contact">${line.text}</p>`);
        break;
      case "basis-heading":
      case "basis":
        break;
    }
  }
  flush();
  return out;
}

export function renderLetterHtml(doc: LetterDocument): string {
  const lines = letterLines(doc);
  const main = lines.filter((l) => l.role !== "basis-heading" && l.role !== "basis");
  const heading = lines.find((l) => l.role === "basis-heading");
  const basis = lines.filter((l) => l.role === "basis");
  const page = html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.title}（${doc.number}）</title>
<style>${raw(styles)}</style>
</head>
<body>
<article class="sheet">
${renderLines(main)}
${heading ? html`<section class="basis"><h2>${heading.text}</h2>${basis.map((b) => html`<p>${b.text}</p>`)}</section>` : ""}
</article>
</body>
</html>
`;
  return page.value;
}
