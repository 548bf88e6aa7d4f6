/**
 * Content screening speed: a 50,000-character Chinese document with some ID numbers,
 * phone numbers and classification marks in it, screened with a 200-word list, median
 * of 50 warm runs.
 */
import { residentIdCheckChar } from "../../shared/domain/identity";
import { prohibitedCategories, screen, type ScreeningSettings } from "../../shared/domain/screening";

const sentences = [
  "根据《中华人民共和国政府信息公开条例》第二十条的规定，本机关主动公开本年度部门预算和决算。",
  "经审查，您申请公开的信息属于本机关在履行行政管理职能过程中制作的政府信息，现予以公开。",
  "该信息涉及第三方商业秘密，本机关已书面征求第三方意见，第三方不同意公开。",
  "如对本答复不服，可以在收到本答复之日起六十日内向区人民政府申请行政复议。",
  "联系人：王科长，联系电话0576-84681234，传真（0576）84681235。",
  "现将2026年度城乡居民基本医疗保险参保工作有关事项通知如下，请各街道认真贯彻落实。",
  "国家秘密的密级分为绝密、机密、秘密三级，涉及国家秘密的信息不予公开。",
  "各单位要加强机关内部管理，严格执行信息发布审核制度，确保发布内容准确无误。",
  "Ｅ-mail：office@example.gov.cn；办公地址：东城街道府前路1号……",
];

function residentId(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

/** ~50,000 characters: varied sentences, with a personal datum or a mark every so often. */
export function screeningDocument(chars = 50_000): string {
  const parts: string[] = ["秘密★1年\n"];
  let length = parts[0]!.length;
  for (let i = 0; length < chars; i++) {
    let piece = sentences[i % sentences.length]!;
    if (i % 25 === 7) piece += `申请人身份证号码${residentId(`3310031985${String((i % 12) + 1).padStart(2, "0")}${String((i % 28) + 1).padStart(2, "0")}${String(i % 1000).padStart(3, "0")}`)}。`;
    if (i % 30 === 11) piece += `手机13${String(900000000 + i * 7919).slice(-9)}。`;
    if (i % 40 === 19) piece += "\n内部资料　注意保存\n";
    if (i % 12 === 0) piece += "\n";
    parts.push(piece);
    length += piece.length;
  }
  return parts.join("").slice(0, chars);
}

/** 200 words spread over the ten categories, a few of which occur in the document. */
export function screeningWordLists(): ScreeningSettings["wordLists"] {
  const lists: ScreeningSettings["wordLists"] = {};
  for (let i = 0; i < 200; i++) {
    const { code } = prohibitedCategories[i % prohibitedCategories.length]!;
    (lists[code] ??= []).push(i % 50 === 0 ? ["商业秘密", "行政复议", "传真", "Office"][i / 50]! : `违禁词${i}号`);
  }
  return lists;
}

export async function screeningFigures(runs = 50): Promise<{ chars: number; msPerRun: number; charsPerMs: number; findings: number }> {
  const text = screeningDocument();
  const settings: ScreeningSettings = { wordLists: screeningWordLists(), flagIndividualCreditCodes: true };
  const parts = [{ source: "body", text }];
  let findings = 0;
  for (let i = 0; i < 10; i++) findings = screen(parts, settings).findings.length; // warm-up: JIT and the word matcher
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    screen(parts, settings);
    times.push(performance.now() - t0);
    // yield between runs so a shared machine's other work does not land in one long stretch
    await new Promise((resolve) => setImmediate(resolve));
  }
  times.sort((a, b) => a - b);
  const msPerRun = times[Math.floor(times.length / 2)]!;
  return { chars: text.length, msPerRun, charsPerMs: Math.round(text.length / msPerRun), findings };
}
