import { describe, expect, it, vi } from "vitest";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHttpHandler } from "../../../shared/http/http";
import { renderErrorPage } from "../../../shared/http/error-pages";
import { publicSiteRoutes, safeBackPath, withPageContext } from "../../../shared/http/public-site-routes";
import { portalRoutes } from "../../../functions/http/public-portal";
import { memoryDeps, type MemoryDeps } from "../../../shared/adapters/memory/deps";
import { fixedClock } from "../../../shared/domain/clock";
import { formatIndexNumber, type CatalogueEntry } from "../../../shared/domain/catalogue/entry";
import type { AgencyRecord } from "../../../shared/domain/records";
import { CATALOGUE_TTL_MS, catalogueEntries, defaultGuide, forgetCatalogue } from "../../../shared/app/catalogue/read";
import { renderPortalPage } from "../../../shared/ui/layout";
import { html } from "../../../shared/ui/html";

/**
 * The public site (catalogue, entries, attachments, feeds, guide, the large-text mode and
 * the catalogue API) as a browser and a client use it, over the in-memory ports.
 */

const CODE = "001008010002002";

const agency: AgencyRecord = {
  code: CODE,
  name: "黄岩区行政服务中心",
  reviewAuthority: "台州市黄岩区人民政府",
  court: "台州市黄岩区人民法院",
  site: {
    organiser: "台州市黄岩区行政服务中心",
    address: "台州市黄岩区劳动北路1号",
    postalCode: "318020",
    phone: "0576-84123456",
    fax: "0576-84123457",
    email: "xxgk@huangyan.example.gov.cn",
    hours: "工作日 上午8:30—12:00 下午14:30—17:30",
    siteCode: "3310030001",
    icp: "浙ICP备05001234号",
    psb: "浙公网安备 33100302000123号",
  },
};

function entry(sequence: number, over: Partial<CatalogueEntry> = {}): CatalogueEntry {
  const day = over.publishedOn ?? "2024-03-05";
  return {
    agencyCode: CODE,
    indexNumber: formatIndexNumber(CODE, 2024, sequence),
    year: 2024,
    sequence,
    kind: "document",
    caseId: "01JCASEID00000000000000000",
    title: "标题",
    column: "notices",
    writtenOn: "2024-03-01",
    publisher: "黄岩区行政服务中心",
    disclosureMode: "主动公开",
    scope: "面向全社会",
    publishedAt: `${day}T01:30:00.000Z`,
    publishedOn: day,
    bodyHtml: "<p>正文</p>",
    text: "正文",
    attachments: [],
    status: "published",
    corrections: [],
    revision: 1,
    ...over,
  };
}

const policy = entry(157175, {
  title: "关于调整公共租赁住房租金标准的通知",
  column: "policy",
  documentNumber: "黄政办发〔2024〕12号",
  bodyHtml: "<p>各街道、乡镇：经研究，决定自2024年7月1日起调整<strong>公共租赁住房</strong>租金标准。</p>",
  text: "各街道、乡镇：经研究，决定自2024年7月1日起调整公共租赁住房租金标准。",
  publishedOn: "2024-06-20",
  publishedAt: "2024-06-20T02:00:00.000Z",
  attachments: [{ name: "租金标准表（2024年版）.pdf", key: "catalogue/001008010002002/2024-157175/1.pdf", contentType: "application/pdf", size: 2048 }],
  corrections: [{ at: "2024-06-21T03:00:00.000Z", on: "2024-06-21", note: "第二段“7月10日”更正为“7月1日”。" }],
  revision: 2,
});
const notice = entry(157176, {
  title: "窗口服务满意度调查结果公示",
  column: "notices",
  text: "本季度共收到评价三千余份，满意率达到百分之九十九。",
  publishedOn: "2024-06-25",
  publishedAt: "2024-06-25T08:00:00.000Z",
});
const withdrawn = entry(157177, {
  title: "某项目招标公告",
  column: "notices",
  bodyHtml: "<p>招标正文不应再出现</p>",
  text: "招标正文不应再出现",
  publishedOn: "2024-06-26",
  publishedAt: "2024-06-26T08:00:00.000Z",
  attachments: [{ name: "招标文件.pdf", key: "catalogue/001008010002002/2024-157177/1.pdf", contentType: "application/pdf", size: 100 }],
  status: "withdrawn",
  withdrawn: { at: "2024-06-27T02:00:00.000Z", on: "2024-06-27", note: "项目已取消，公告撤回。" },
  revision: 2,
});

const PDF = Buffer.from("%PDF-1.4\n%%EOF\n");

async function site(o: { agencies?: AgencyRecord[] } = {}): Promise<{ deps: MemoryDeps; send: ReturnType<typeof sender> }> {
  const deps = memoryDeps(fixedClock("2024-07-01T02:00:00.000Z"));
  for (const a of o.agencies ?? [agency]) await deps.store.directory.putAgency(a);
  await deps.store.commit([policy, notice, withdrawn].map((e) => ({ kind: "catalogue" as const, entry: e })));
  await deps.files.put(policy.attachments[0]!.key, PDF, "application/pdf");
  await deps.files.put(withdrawn.attachments[0]!.key, PDF, "application/pdf");
  return { deps, send: sender(deps) };
}

function sender(deps: MemoryDeps) {
  const handler = createHttpHandler(publicSiteRoutes(() => deps), { renderErrorPage });
  return async (url: string, opts: { cookies?: string[]; headers?: Record<string, string> } = {}) => {
    const [path, query = ""] = url.split("?") as [string, string?];
    const event = {
      version: "2.0",
      routeKey: "$default",
      rawPath: path,
      rawQueryString: query,
      headers: { host: "gongkai.test", ...opts.headers },
      ...(opts.cookies ? { cookies: opts.cookies } : {}),
      requestContext: { http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "198.51.100.7", userAgent: "vitest" }, requestId: "req-1" },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const res = await handler(event);
    const raw = String(res.body ?? "");
    return {
      status: res.statusCode,
      headers: (res.headers ?? {}) as Record<string, string>,
      cookies: (res.cookies ?? []) as string[],
      body: res.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw,
      bytes: res.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw),
      json: () => JSON.parse(raw),
    };
  };
}

const q = (text: string) => encodeURIComponent(text);

/** A complete zh-CN page without JavaScript, with landmarks and the skip link. */
function assertPublicPage(page: string) {
  expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
  expect(page).toContain('<html lang="zh-CN">');
  expect(page).not.toMatch(/<script|\son\w+=|javascript:/i);
  expect(page).toContain('<a class="skip" href="#main">');
  expect(page).toMatch(/<header class="site-header">[\s\S]*<nav class="site-nav" aria-label="主导航">[\s\S]*<main id="main"[\s\S]*<footer class="site-footer">/);
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [, target] of page.matchAll(/href="#([^"]+)"/g)) expect(ids).toContain(target);
  for (const [, target] of page.matchAll(/<label for="([^"]+)"/g)) expect(ids).toContain(target);
}

/** Enough of XML 1.0 to tell a well-formed document: one root, balanced tags, known entities, no stray `<` or `&`. */
function assertWellFormedXml(xml: string) {
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const body = xml.replace(/^<\?xml[^>]*\?>/, "");
  const stack: string[] = [];
  let roots = 0;
  const token = /<\/?([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let at = 0;
  for (const m of body.matchAll(token)) {
    expect(m.index).toBe(at);
    at = m.index + m[0].length;
    const text = m[4] ?? m[2] ?? "";
    expect(text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, "")).not.toMatch(/[&<]/);
    if (m[4] !== undefined) {
      if (stack.length === 0) expect(m[4].trim()).toBe("");
      continue;
    }
    if (stack.length === 0) roots++;
    if (m[0].startsWith("</")) expect(stack.pop()).toBe(m[1]);
    else if (m[3] !== "/") stack.push(m[1]!);
  }
  expect(at).toBe(body.length);
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

describe("the catalogue page", () => {
  it("lists the published entries with index numbers and Beijing dates, the columns with counts, and each column's feed", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const res = await send("/catalogue");
    // Assess
    expect(res.status).toBe(200);
    assertPublicPage(res.body);
    expect(res.body).toContain("<h1>黄岩区行政服务中心政府信息公开目录</h1>");
    expect(res.body).toContain('<a href="/catalogue/001008010002002/2024-157175">关于调整公共租赁住房租金标准的通知</a>');
    expect(res.body).toContain("索引号：001008010002002/2024-157176");
    expect(res.body).toContain('发布日期：<time datetime="2024-06-25">2024-06-25</time>');
    expect(res.body).not.toContain("某项目招标公告");
    expect(res.body).toMatch(/>通知公告<\/a> <span class="count">\(1\)<\/span>/);
    expect(res.body).toMatch(/>政策文件<\/a> <span class="count">\(1\)<\/span>/);
    expect(res.body).toMatch(/>2024年<\/a> <span class="count">\(2\)<\/span>/);
    expect(res.body).toContain('href="/catalogue/feed.xml?agency=001008010002002&amp;column=policy"');
    expect(res.body).toMatch(/<form class="search" method="get" action="\/catalogue"/);
    // the newest first
    expect(res.body.indexOf("窗口服务满意度调查结果公示")).toBeLessThan(res.body.indexOf("关于调整公共租赁住房租金标准的通知"));
  });

  it("filters by column and year, and finds entries by title, document number, index number and full text", async () => {
    // Prepare
    const { send } = await site();
    const found = async (query: string) => {
      const res = await send(`/catalogue?agency=${CODE}&${query}`);
      expect(res.status).toBe(200);
      return [...res.body.matchAll(/<li><a href="\/catalogue\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    };
    // Act / Assess
    expect(await found("column=policy")).toEqual(["关于调整公共租赁住房租金标准的通知"]);
    expect(await found("year=2023")).toEqual([]);
    expect(await found(`q=${q("租金标准")}`)).toEqual(["关于调整公共租赁住房租金标准的通知"]);
    expect(await found(`q=${q("黄政办发〔2024〕12号")}`)).toEqual(["关于调整公共租赁住房租金标准的通知"]);
    expect(await found(`q=${q("2024-157176")}`)).toEqual(["窗口服务满意度调查结果公示"]);
    expect(await found(`q=${q("满意率 百分之九十九")}`)).toEqual(["窗口服务满意度调查结果公示"]);
    expect(await found(`q=${q("ＰＤＦ 不存在的词")}`)).toEqual([]);
    expect(await found(`q=${q("招标")}`)).toEqual([]);
  });

  it("answers bad filters with 400 and the page, naming each parameter", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const res = await send(`/catalogue?column=nope&year=24&q=${q("字".repeat(101))}`);
    // Assess
    expect(res.status).toBe(400);
    assertPublicPage(res.body);
    expect(res.body).toContain('<a href="#c-column">栏目（column）不存在');
    expect(res.body).toContain('<a href="#c-year">年份（year）应为四位数字');
    expect(res.body).toContain('<a href="#c-q">检索词（q）不能超过 100 个字');
    expect(res.body).toContain("关于调整公共租赁住房租金标准的通知");
  });

  it("lists the agencies to choose from when there are several and none is named, and 404s an unknown one", async () => {
    // Prepare
    const { send } = await site({ agencies: [agency, { code: "001008010003001", name: "黄岩区示范局" }] });
    // Act
    const chooser = await send("/catalogue");
    const guide = await send("/guide");
    const unknown = await send("/catalogue?agency=999");
    const chosen = await send(`/catalogue?agency=${CODE}`);
    // Assess
    expect(chooser.status).toBe(200);
    assertPublicPage(chooser.body);
    expect(chooser.body).toContain('<a href="/catalogue?agency=001008010003001">黄岩区示范局政府信息公开目录</a>');
    expect(chooser.body).toContain(`<a href="/catalogue?agency=${CODE}">黄岩区行政服务中心政府信息公开目录</a>`);
    expect(guide.body).toContain('<a href="/guide?agency=001008010003001">');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain("未找到该机关");
    expect(chosen.body).toContain("关于调整公共租赁住房租金标准的通知");
  });
});

describe("an entry's page", () => {
  it("shows the metadata block, the correction note, the body and the attachment, which downloads with its Chinese name", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const res = await send("/catalogue/001008010002002/2024-157175");
    const download = await send("/catalogue/001008010002002/2024-157175/attachments/1");
    // Assess
    expect(res.status).toBe(200);
    assertPublicPage(res.body);
    const meta = /<table class="meta">[\s\S]*?<\/table>/.exec(res.body)?.[0] ?? "";
    for (const [k, v] of [
      ["索引号", "001008010002002/2024-157175"],
      ["文件编号", "黄政办发〔2024〕12号"],
      ["发布机构", "黄岩区行政服务中心"],
      ["成文日期", "2024-03-01"],
      ["公开方式", "主动公开"],
      ["公开范围", "面向全社会"],
      ["发布日期", "2024-06-20"],
    ]) expect(meta).toContain(`<tr><th scope="row">${k}</th><td>${v}</td></tr>`);
    expect(res.body).toMatch(/<h2 id="e-corrections">更正说明<\/h2><ul><li><strong><time datetime="2024-06-21">2024-06-21<\/time><\/strong> 更正：第二段“7月10日”更正为“7月1日”。<\/li>/);
    expect(res.body).toContain("调整<strong>公共租赁住房</strong>租金标准");
    expect(res.body).toContain('<a href="/catalogue/001008010002002/2024-157175/attachments/1">租金标准表（2024年版）.pdf</a>');
    expect(download.status).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toBe(
      `attachment; filename="attachment-1.pdf"; filename*=UTF-8''${encodeURIComponent("租金标准表（2024年版）.pdf").replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
    expect(download.bytes.equals(PDF)).toBe(true);
  });

  it("shows a withdrawn entry's notice with its date and note, and neither its body nor its attachments", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const res = await send("/catalogue/001008010002002/2024-157177");
    const download = await send("/catalogue/001008010002002/2024-157177/attachments/1");
    // Assess
    expect(res.status).toBe(200);
    assertPublicPage(res.body);
    expect(res.body).toMatch(/<div class="withdrawn" role="note"[^>]*><h2 id="e-withdrawn">已撤回<\/h2><p>本信息已于 <strong><time datetime="2024-06-27">2024-06-27<\/time><\/strong> 撤回/);
    expect(res.body).toContain("撤回说明：项目已取消，公告撤回。");
    expect(res.body).toContain("001008010002002/2024-157177");
    expect(res.body).not.toContain("招标正文不应再出现");
    expect(res.body).not.toContain("招标文件.pdf");
    expect(download.status).toBe(404);
  });

  it("answers a malformed or unknown index number with a 404 page", async () => {
    // Prepare
    const { send } = await site();
    // Act / Assess
    for (const path of ["/catalogue/001008010002002/2024-999999", "/catalogue/001008010002002/24-1", "/catalogue/999/2024-157175", "/catalogue/001008010002002/2024-157175/attachments/2", "/catalogue/001008010002002/2024-157175/attachments/x"]) {
      const res = await send(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toMatch(/未找到该政府信息|页面不存在/);
    }
  });
});

describe("the Atom feed", () => {
  it("is well-formed Atom with the column's published entries, absolute links and Beijing times", async () => {
    // Prepare
    const { send, deps } = await site();
    await deps.store.commit([{ kind: "catalogue", entry: entry(157178, { title: "A&B <公告> \"引号\"", publishedAt: "2024-06-30T16:30:00.000Z", publishedOn: "2024-07-01" }) }]);
    // Act
    const all = await send(`/catalogue/feed.xml?agency=${CODE}`);
    const policyFeed = await send(`/catalogue/feed.xml?agency=${CODE}&column=policy`);
    const bad = await send(`/catalogue/feed.xml?agency=${CODE}&column=nope`);
    // Assess
    expect(all.status).toBe(200);
    expect(all.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    assertWellFormedXml(all.body);
    assertWellFormedXml(policyFeed.body);
    expect(all.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">');
    expect(all.body).toContain("<title>A&amp;B &lt;公告&gt; &quot;引号&quot;</title>");
    expect(all.body).toContain("<published>2024-07-01T00:30:00+08:00</published>");
    expect(all.body).toContain("<updated>2024-07-01T00:30:00+08:00</updated>");
    expect(all.body).toContain('<link rel="alternate" type="text/html" href="http://gongkai.test/catalogue/001008010002002/2024-157175"/>');
    expect(all.body).not.toContain("某项目招标公告");
    expect(all.body.match(/<entry>/g)).toHaveLength(3);
    expect(policyFeed.body.match(/<entry>/g)).toHaveLength(1);
    expect(policyFeed.body).toContain("<title>关于调整公共租赁住房租金标准的通知</title>");
    expect(policyFeed.body).toContain("<updated>2024-06-21T11:00:00+08:00</updated>");
    expect(bad.status).toBe(400);
  });
});

describe("the guide", () => {
  it("built from the agency's profile, has the sections art. 12 requires and the office's address, hours and contacts", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const res = await send("/guide");
    // Assess
    expect(res.status).toBe(200);
    assertPublicPage(res.body);
    expect(res.body).toContain("<h1 id=\"g-title\">黄岩区行政服务中心政府信息公开指南</h1>");
    for (const heading of ["一、主动公开", "二、依申请公开", "三、监督和救济", "四、工作机构"]) expect(res.body).toContain(`<h2>${heading}</h2>`);
    expect(res.body).toContain("办公地址：台州市黄岩区劳动北路1号（邮政编码：318020）");
    expect(res.body).toContain("办公时间：工作日 上午8:30—12:00 下午14:30—17:30");
    expect(res.body).toContain("联系电话：0576-84123456");
    expect(res.body).toContain("电子邮箱：xxgk@huangyan.example.gov.cn");
    expect(res.body).toContain("20个工作日内予以答复");
    expect(res.body).toContain("国办函〔2020〕109号");
    expect(res.body).toContain("60日内，向台州市黄岩区人民政府提出");
    expect(res.body).toContain("6个月内，向台州市黄岩区人民法院提出");
    expect(res.body).toContain(`<a href="/apply?agency=${CODE}">在线提交政府信息公开申请</a>`);
  });

  it("shows the agency's own guide when it edited one", async () => {
    // Prepare
    const edited: AgencyRecord = { ...agency, site: { ...agency.site, guide: { updatedOn: "2024-01-15", sections: [{ heading: "一、总则", body: "第一段。\n申请请访问 /apply 提交。" }] } } };
    const { send } = await site({ agencies: [edited] });
    // Act
    const res = await send("/guide");
    // Assess
    expect(res.body).toContain('更新日期：<time datetime="2024-01-15">2024-01-15</time>');
    expect(res.body).toContain("<h2>一、总则</h2>");
    expect(res.body).toContain('<p>申请请访问 <a href="/apply">/apply</a> 提交。</p>');
    expect(res.body).not.toContain("四、工作机构");
  });

  it("without a site profile still names the office from the agency record", () => {
    const g = defaultGuide({ code: CODE, name: "某局", officeAddress: "某路2号", officeContact: "办公室 0576-1" });
    const office = g.sections.find((s) => s.heading === "四、工作机构")!.body;
    expect(office).toContain("办公地址：某路2号");
    expect(office).toContain("联系方式：办公室 0576-1");
    expect(g.sections.find((s) => s.heading === "三、监督和救济")!.body).toContain("本级人民政府");
  });
});

describe("site chrome", () => {
  it("carries the agency's name, the navigation and the footer a government site must show", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const res = await send("/catalogue");
    // Assess
    expect(res.body).toContain('<a class="site-title" href="/">黄岩区行政服务中心政府信息公开</a>');
    for (const [href, label] of [
      ["/", "首页"],
      [`/guide?agency=${CODE}`, "政府信息公开指南"],
      [`/catalogue?agency=${CODE}`, "政府信息公开目录"],
      [`/transparency/${CODE}`, "公开透明度"],
      [`/apply?agency=${CODE}`, "依申请公开"],
      ["/track", "查询办理进度"],
    ]) expect(res.body).toMatch(new RegExp(`<li><a href="${href!.replace(/[?]/g, "\\?")}"[^>]*>${label}</a></li>`));
    expect(res.body).toContain(`<a href="/catalogue?agency=${CODE}" aria-current="page">政府信息公开目录</a>`);
    const footer = /<footer[\s\S]*<\/footer>/.exec(res.body)?.[0] ?? "";
    expect(footer).toContain("主办单位：台州市黄岩区行政服务中心");
    expect(footer).toContain("地址：台州市黄岩区劳动北路1号");
    expect(footer).toContain("电话：0576-84123456");
    expect(footer).toContain("网站标识码：3310030001");
    expect(footer).toContain('ICP备案号：<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">浙ICP备05001234号</a>');
    expect(footer).toContain("公安机关备案号：浙公网安备 33100302000123号");
    expect(res.body).toContain("@media print");
  });

  it("omits what the agency has not filled in, and pages without an agency keep the plain footer", () => {
    const page = renderPortalPage({ title: "t", main: html`<p>x</p>`, agency: { code: CODE, name: "某局" } });
    const footer = /<footer[\s\S]*<\/footer>/.exec(page)?.[0] ?? "";
    expect(footer).toContain("主办单位：某局");
    expect(footer).not.toMatch(/网站标识码|ICP|公安|电话|地址/);
    const plain = renderPortalPage({ title: "t", main: html`<p>x</p>` });
    expect(plain).toContain("依据《中华人民共和国政府信息公开条例》办理");
    expect(plain).not.toContain("主办单位");
    expect(plain).toContain("<body>");
  });

  it("the 长者模式 link sets a one-year cookie and comes back; pages then render class=care with the way back to 标准模式", async () => {
    // Prepare
    const { send } = await site();
    const before = await send(`/catalogue?agency=${CODE}&column=policy`);
    const link = /<a class="care-switch" href="([^"]+)"[^>]*>长者模式<\/a>/.exec(before.body)?.[1]?.replace(/&amp;/g, "&");
    // Act
    const on = await send(link!);
    const after = await send(`/catalogue?agency=${CODE}&column=policy`, { cookies: ["gk_care=1"] });
    const off = await send(/<a class="care-switch" href="([^"]+)"[^>]*>标准模式<\/a>/.exec(after.body)![1]!.replace(/&amp;/g, "&"), { cookies: ["gk_care=1"] });
    // Assess
    expect(before.body).toContain("<body>");
    expect(link).toBe(`/care?on=1&back=${encodeURIComponent(`/catalogue?agency=${CODE}&column=policy`)}`);
    expect(on.status).toBe(303);
    expect(on.headers.location).toBe(`/catalogue?agency=${CODE}&column=policy`);
    expect(on.cookies).toEqual(["gk_care=1; Path=/; Max-Age=31536000; SameSite=Lax"]);
    expect(after.body).toContain('<body class="care">');
    expect(after.body).toMatch(/body\.care \*\{font-size:22px;font-size:max\(22px,1em\)\}/);
    expect(off.status).toBe(303);
    expect(off.cookies[0]).toMatch(/^gk_care=; Path=\/; Max-Age=0; SameSite=Lax/);
    expect(off.headers.location).toBe(`/catalogue?agency=${CODE}&column=policy`);
  });

  it("the portal's own pages, wrapped with withPageContext, follow the mode too and switch back to where they are", async () => {
    // Prepare
    const { deps } = await site();
    const handler = createHttpHandler(withPageContext(portalRoutes(() => deps)), { renderErrorPage });
    const get = async (path: string, query: string, cookies?: string[]) =>
      String(
        (
          await handler({
            rawPath: path,
            rawQueryString: query,
            headers: { host: "gongkai.test" },
            ...(cookies ? { cookies } : {}),
            requestContext: { http: { method: "GET", path, sourceIp: "198.51.100.7" }, requestId: "req-1" },
          } as unknown as APIGatewayProxyEventV2)
        ).body,
      );
    // Act
    const plain = await get("/track", "");
    const care = await get("/apply", `agency=${CODE}`, ["gk_care=1"]);
    // Assess
    expect(plain).toContain("<body>");
    expect(plain).toContain(`<a class="care-switch" href="/care?on=1&amp;back=%2Ftrack"`);
    expect(care).toContain('<body class="care">');
    expect(care).toContain(`<a class="care-switch" href="/care?on=0&amp;back=${encodeURIComponent(`/apply?agency=${CODE}`)}"`);
    expect(care).toContain('<a href="/guide">政府信息公开指南</a>');
  });

  it("the mode switch only returns to a path of this site", async () => {
    // Prepare
    const { send } = await site();
    // Act / Assess
    for (const back of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/care?on=1", "catalogue", "/a\r\nset-cookie: x=1"]) {
      const res = await send(`/care?on=1&back=${encodeURIComponent(back)}`);
      expect(res.status, back).toBe(303);
      expect(res.headers.location, back).toBe("/");
    }
    expect((await send("/care?on=1", { headers: { referer: "http://gongkai.test/guide?agency=1" } })).headers.location).toBe("/guide?agency=1");
    expect((await send("/care?on=1", { headers: { referer: "https://evil.example/guide" } })).headers.location).toBe("/");
    expect(safeBackPath("/catalogue?q=%E7%A7%9F")).toBe("/catalogue?q=%E7%A7%9F");
  });
});

describe("the catalogue API", () => {
  it("lists entries with their public fields, absolute URLs and facets", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const res = await send(`/api/v1/catalogue?agency=${CODE}&q=${q("租金")}`);
    // Assess
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ agency: { code: CODE, name: "黄岩区行政服务中心" }, total: 1, page: 1, pageSize: 20 });
    expect(body.entries).toEqual([
      {
        indexNumber: "001008010002002/2024-157175",
        title: "关于调整公共租赁住房租金标准的通知",
        column: "policy",
        columnLabel: "政策文件",
        documentNumber: "黄政办发〔2024〕12号",
        writtenOn: "2024-03-01",
        publishedOn: "2024-06-20",
        publisher: "黄岩区行政服务中心",
        url: "http://gongkai.test/catalogue/001008010002002/2024-157175",
      },
    ]);
    expect(body.facets.columns.find((c: any) => c.code === "policy")).toEqual({ code: "policy", label: "政策文件", count: 1 });
    expect(body.facets.years).toEqual([{ year: 2024, count: 1 }]);
  });

  it("answers bad parameters with 400 in the API's error shape, naming each field in Chinese", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const column = await send("/api/v1/catalogue?column=nope");
    const year = await send("/api/v1/catalogue?year=24");
    const long = await send(`/api/v1/catalogue?q=${q("字".repeat(101))}`);
    const agencyRes = await send("/api/v1/catalogue?agency=123");
    const several = await send("/api/v1/catalogue?column=nope&year=abcd&page=0");
    // Assess
    for (const [res, path, code, words] of [
      [column, "column", "invalid_choice", "栏目（column）"],
      [year, "year", "invalid_format", "年份（year）"],
      [long, "q", "too_long", "检索词（q）"],
      [agencyRes, "agency", "unknown_agency", "机关（agency）"],
    ] as const) {
      expect(res.status).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(error.message).toContain(words);
      expect(error.fields).toEqual([{ path, code, message: expect.stringContaining(words) }]);
    }
    expect(several.json().error.fields.map((f: any) => f.path)).toEqual(["column", "year", "page"]);
  });

  it("lists every agency's catalogue when no agency is named, and one agency's when it is", async () => {
    // Prepare: a second agency with an entry of its own
    const other = { code: "001008010003001", name: "黄岩区示范局" };
    const { deps, send } = await site({ agencies: [agency, other] });
    await deps.store.commit([{ kind: "catalogue", entry: { ...notice, agencyCode: other.code, indexNumber: `${other.code}/2024-000001`, sequence: 1, caseId: "other" } }]);
    // Act
    const all = await send("/api/v1/catalogue");
    const one = await send(`/api/v1/catalogue?agency=${other.code}`);
    // Assess: the index number says whose each entry is
    expect(all.status).toBe(200);
    expect(all.json().agency).toBeNull();
    expect(all.json().entries.map((e: { indexNumber: string }) => e.indexNumber).sort()).toEqual([`${other.code}/2024-000001`, notice.indexNumber, policy.indexNumber].sort());
    expect(one.json().agency).toEqual({ code: other.code, name: other.name });
    expect(one.json().entries.map((e: { indexNumber: string }) => e.indexNumber)).toEqual([`${other.code}/2024-000001`]);
  });

  it("shows an entry without internal fields, a withdrawn one without its body, and 404s an unknown one", async () => {
    // Prepare
    const { send } = await site();
    // Act
    const one = await send("/api/v1/catalogue/001008010002002/2024-157175");
    const gone = await send("/api/v1/catalogue/001008010002002/2024-157177");
    const unknown = await send("/api/v1/catalogue/001008010002002/2024-000001");
    // Assess
    expect(one.status).toBe(200);
    const e = one.json();
    expect(e).toMatchObject({
      indexNumber: "001008010002002/2024-157175",
      documentNumber: "黄政办发〔2024〕12号",
      disclosureMode: "主动公开",
      scope: "面向全社会",
      status: "published",
      corrections: [{ on: "2024-06-21", note: "第二段“7月10日”更正为“7月1日”。" }],
      attachments: [{ name: "租金标准表（2024年版）.pdf", contentType: "application/pdf", size: 2048, url: "http://gongkai.test/catalogue/001008010002002/2024-157175/attachments/1" }],
    });
    expect(one.body).not.toContain("caseId");
    expect(one.body).not.toContain('"key"');
    const w = gone.json();
    expect(w.status).toBe("withdrawn");
    expect(w.withdrawn).toEqual({ at: "2024-06-27T02:00:00.000Z", on: "2024-06-27", note: "项目已取消，公告撤回。" });
    expect(w).not.toHaveProperty("bodyHtml");
    expect(w).not.toHaveProperty("attachments");
    expect(unknown.status).toBe(404);
    expect(unknown.json().error.code).toBe("NOT_FOUND");
  });
});

describe("the catalogue loader", () => {
  it("re-reads the store at most every 15 s, at once after forgetCatalogue, and keeps the objects of unchanged entries", async () => {
    // Prepare
    let now = 1_000_000;
    const clock = vi.spyOn(performance, "now").mockImplementation(() => now);
    try {
      const { deps } = await site();
      const list = vi.spyOn(deps.store.catalogue, "list");
      const first = await catalogueEntries(deps, CODE);
      // Act: a new entry elsewhere, seen only after the time is up
      await deps.store.commit([{ kind: "catalogue", entry: entry(157190, { title: "新发布" }) }]);
      const cached = await catalogueEntries(deps, CODE);
      now += CATALOGUE_TTL_MS + 1;
      const reread = await catalogueEntries(deps, CODE);
      await deps.store.commit([{ kind: "catalogue", entry: { ...notice, title: "已更正的标题", revision: 2 }, expectedRevision: 1 }]);
      forgetCatalogue(CODE);
      const forgotten = await catalogueEntries(deps, CODE);
      // Assess
      expect(cached).toBe(first);
      expect(reread.map((e) => e.title)).toContain("新发布");
      expect(reread.find((e) => e.indexNumber === policy.indexNumber)).toBe(first.find((e) => e.indexNumber === policy.indexNumber));
      expect(forgotten.find((e) => e.indexNumber === notice.indexNumber)?.title).toBe("已更正的标题");
      expect(forgotten.find((e) => e.indexNumber === policy.indexNumber)).toBe(first.find((e) => e.indexNumber === policy.indexNumber));
      expect(list).toHaveBeenCalledTimes(3);
    } finally {
      clock.mockRestore();
    }
  });
});
