/**
 * Catalogue search at a realistic size: 10,000 entries of one agency (Chinese titles, 文号,
 * ~2,000-character texts) in memory, searched with `searchCatalogue` as the public site
 * does, without a word splitter. Reports the first search (which builds every entry's
 * normalised key) and the latency of 200 varied warm queries: title words, document and
 * index numbers, phrases deep in the text, several terms, full-width input, misses, and
 * browsing by column and year.
 *
 *   npx tsx tests/bench/catalogue.ts
 */
import { pathToFileURL } from "node:url";
import { searchCatalogue, type CatalogueQuery } from "../../shared/domain/catalogue/search";
import { formatIndexNumber, type CatalogueEntry } from "../../shared/domain/catalogue/entry";
import { catalogueColumns } from "../../shared/domain/catalogue/columns";
import { percentile } from "./stats";

const AGENCY = "001008010002002";
const ENTRIES = 10_000;
const QUERIES = 200;

/** A small deterministic PRNG (mulberry32): the same catalogue every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const places = ["黄岩区", "北城街道", "南城街道", "东城街道", "西城街道", "新前街道", "江口街道", "院桥镇", "沙埠镇", "高桥街道", "宁溪镇", "北洋镇", "头陀镇", "澄江街道", "屿头乡", "上郑乡"];
const subjects = [
  "优化营商环境", "公共租赁住房", "城乡居民医疗保险", "最低生活保障", "高龄老人津贴", "农村生活污水治理", "垃圾分类", "安全生产",
  "义务教育招生", "道路交通安全", "防汛防台", "森林防火", "就业创业补贴", "残疾人两项补贴", "政府采购", "财政预算", "民生实事项目",
  "老旧小区改造", "历史文化街区保护", "农产品质量安全", "食品安全", "消防安全", "河长制", "数字化改革", "政务服务“一网通办”",
];
const kinds = ["实施方案", "工作要点", "管理办法", "实施细则", "通知", "公告", "公示", "情况报告", "工作总结", "政策解读", "指导意见", "考核办法"];
const verbs = ["关于印发", "关于开展", "关于做好", "关于进一步加强", "关于调整", "关于公布", "关于征求"];
const sentences = [
  "为深入贯彻落实党中央、国务院和省委、省政府的决策部署，结合本区实际，制定本方案。",
  "各街道、乡镇要高度重视，明确责任分工，细化工作措施，确保各项任务落到实处。",
  "本办法所称补贴对象，是指具有本区户籍且符合相关条件的居民。",
  "申请人应当如实提供身份证明、收入证明等材料，并对材料的真实性负责。",
  "相关部门应当在收到申请之日起十五个工作日内完成审核，并将审核结果予以公示。",
  "公示期为七日，公示期满无异议的，按规定发放补贴资金。",
  "对弄虚作假骗取补贴资金的，依法追回已发放资金，并依照有关规定处理。",
  "各单位要加强信息公开，主动接受社会监督，及时回应群众关切。",
  "本年度全区一般公共预算收入完成情况良好，其中税收收入同比增长。",
  "重点项目建设有序推进，累计完成投资超过年度计划的进度要求。",
  "加强部门协同，完善工作机制，推动数据共享和业务协同。",
  "严格落实安全生产责任制，开展隐患排查整治，坚决遏制重特大事故发生。",
  "进一步规范行政执法行为，全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。",
  "建立健全考核评价机制，将工作完成情况纳入年度综合考核。",
  "本方案自印发之日起施行，由区政府办公室负责解释。",
  "联系人及电话详见附件，请各单位于规定时间前报送材料。",
  "坚持以人民为中心的发展思想，着力解决群众急难愁盼问题。",
  "鼓励社会力量参与，形成政府主导、部门协作、社会参与的工作格局。",
  "对工作推进不力、措施落实不到位的，予以通报批评。",
  "加大财政资金保障力度，提高资金使用效益，确保专款专用。",
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** 10,000 entries over eight years, newest first, a few withdrawn. */
export function buildCatalogue(count = ENTRIES, seed = 20240601): CatalogueEntry[] {
  const rand = prng(seed);
  const out: CatalogueEntry[] = [];
  const perYear = Math.ceil(count / 8);
  for (let i = 0; i < count; i++) {
    const year = 2026 - Math.floor(i / perYear);
    const sequence = 157_000 + (perYear - (i % perYear));
    const day = `${year}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`;
    const place = pick(rand, places);
    const subject = pick(rand, subjects);
    const title = `${pick(rand, verbs)}${place}${subject}${pick(rand, kinds)}的通知`;
    const paragraphs: string[] = [];
    let length = 0;
    while (length < 2000) {
      const s = rand() < 0.15 ? `${place}${subject}工作，${pick(rand, sentences)}` : pick(rand, sentences);
      paragraphs.push(s);
      length += s.length;
    }
    const text = paragraphs.join("\n");
    const column = pick(rand, catalogueColumns).code;
    const documentNumber = rand() < 0.6 ? `黄${pick(rand, ["政", "政办", "财", "民", "教", "卫健"])}发〔${year}〕${1 + Math.floor(rand() * 120)}号` : undefined;
    out.push({
      agencyCode: AGENCY,
      indexNumber: formatIndexNumber(AGENCY, year, sequence),
      year,
      sequence,
      kind: documentNumber ? "document" : "publication",
      caseId: `CASE${i}`,
      title,
      column,
      ...(documentNumber ? { documentNumber } : {}),
      writtenOn: day,
      publisher: "黄岩区行政服务中心",
      disclosureMode: "主动公开",
      scope: "面向全社会",
      publishedAt: `${day}T02:00:00.000Z`,
      publishedOn: day,
      bodyHtml: paragraphs.map((p) => `<p>${p}</p>`).join(""),
      text,
      attachments: [],
      status: rand() < 0.01 ? "withdrawn" : "published",
      corrections: [],
      revision: 1,
    });
  }
  return out;
}

/** 200 queries of the kinds people type. */
function queries(entries: CatalogueEntry[], seed = 7): CatalogueQuery[] {
  const rand = prng(seed);
  const out: CatalogueQuery[] = [];
  const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  for (let i = 0; i < QUERIES; i++) {
    const e = pick(rand, entries);
    switch (i % 10) {
      case 0:
        out.push({ q: pick(rand, subjects) });
        break;
      case 1:
        out.push({ q: `${pick(rand, places)} ${pick(rand, kinds)}` });
        break;
      case 2:
        out.push({ q: e.documentNumber ?? e.indexNumber.slice(-11) });
        break;
      case 3:
        out.push({ q: e.indexNumber.slice(-11) });
        break;
      case 4:
        out.push({ q: pick(rand, sentences).slice(4, 14) });
        break;
      case 5:
        out.push({ q: `${pick(rand, subjects)} ${pick(rand, places)} 补贴` });
        break;
      case 6:
        out.push({ q: fullWidth(`${e.year}`) + " " + pick(rand, kinds) });
        break;
      case 7:
        out.push({ q: "不存在的检索词组合" + i });
        break;
      case 8:
        out.push({ column: pick(rand, catalogueColumns).code, year: e.year, page: 1 + Math.floor(rand() * 3) });
        break;
      default:
        out.push({ q: pick(rand, subjects), column: e.column, page: 2 });
    }
  }
  return out;
}

export async function catalogueSearchFigures(): Promise<{ entries: number; p50Ms: number; p99Ms: number; coldLoadMs?: number }> {
  const entries = buildCatalogue();
  const qs = queries(entries);
  // cold: the first search normalises every entry once (the WeakMap keys)
  const cold = performance.now();
  searchCatalogue(entries, { q: "营商环境" });
  const coldLoadMs = performance.now() - cold;
  // warm-up of the JIT, then the timed queries
  for (const q of qs.slice(0, 20)) searchCatalogue(entries, q);
  const times: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    searchCatalogue(entries, q);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { entries: entries.length, p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)), coldLoadMs: round(coldLoadMs) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void catalogueSearchFigures().then((f) =>
    console.log(`catalogue search over ${f.entries} entries: cold (builds keys) ${f.coldLoadMs} ms; warm p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms (${QUERIES} queries)`),
  );
}
