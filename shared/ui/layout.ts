/**
 * The page shell shared by the portal and the console: zh-CN, no JavaScript, no external
 * assets; one small inline style sheet in a plain government-site look. Public pages
 * (`renderPortalPage`) add the agency's name, the site navigation, the footer a government
 * site must carry, a print style sheet and the large-text mode for older readers (长者模式).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Html } from "./html";
import { html, raw } from "./html";
import type { AgencyRecord } from "../domain/records";

export const styles = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:18px;-webkit-text-size-adjust:100%}
body{margin:0;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",system-ui,sans-serif;line-height:1.7;color:#1f1f1f;background:#f3f4f6}
a{color:#0b4f9c}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
a:hover{color:#08386f}
:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.site-header{background:#b31b1b;color:#fff;border-bottom:4px solid #8c1313}
.site-header .inner,.site-nav .inner,main,.site-footer .inner{max-width:60rem;margin:0 auto;padding:0 1rem}
.site-header .inner{display:flex;align-items:center;justify-content:space-between;flex-wrap:wrap;gap:.5rem;padding-top:.8rem;padding-bottom:.8rem}
.site-title{font-size:1.4rem;font-weight:700;color:#fff;text-decoration:none;letter-spacing:.05em}
.site-header .who{font-size:.9rem}
.site-header form{display:inline}
.site-nav{background:#fff;border-bottom:1px solid #d8dbe0}
.site-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1.5rem}
.site-nav a{display:inline-block;padding:.6rem 0;text-decoration:none;font-weight:600}
.site-nav a[aria-current=page]{border-bottom:3px solid #b31b1b}
main{background:#fff;margin-top:1.5rem;margin-bottom:1.5rem;padding:1.5rem 1.5rem 2rem;border:1px solid #d8dbe0}
h1{font-size:1.6rem;margin:.2rem 0 1rem;color:#8c1313}
h2{font-size:1.25rem;margin:1.6rem 0 .6rem;border-left:5px solid #b31b1b;padding-left:.5rem}
p,ul,ol{margin:.4rem 0 .8rem}
.lead{font-size:1.1rem}
.note{background:#f7f7f2;border-left:4px solid #8a8a70;padding:.6rem .9rem}
.error-summary{border:4px solid #c00;padding:1rem 1.2rem;margin-bottom:1.5rem}
.error-summary h2{border:0;padding:0;margin-top:0;color:#c00}
.error-summary a{color:#c00;font-weight:600}
fieldset{border:1px solid #c8ccd2;margin:0 0 1.4rem;padding:.8rem 1.2rem 1rem}
legend{font-weight:700;font-size:1.1rem;padding:0 .4rem}
.group-note{margin-top:0;color:#444}
.field{margin-bottom:1.1rem}
.field label,.field .label{display:block;font-weight:600}
.field.has-error{border-left:5px solid #c00;padding-left:.8rem}
.field-error{color:#c00;font-weight:600;margin:.1rem 0}
.hint{color:#555;font-size:.9rem;margin:.1rem 0 .3rem}
.req{color:#c00;font-weight:700}
input[type=text],input[type=email],input[type=tel],input[type=password],select,textarea{font:inherit;font-size:1rem;width:100%;max-width:32rem;padding:.4rem .5rem;border:2px solid #555;border-radius:0;background:#fff}
textarea{max-width:100%;min-height:8rem}
[aria-invalid=true]{border-color:#c00}
.choices label{display:inline-flex;align-items:center;gap:.35rem;font-weight:400;margin-right:1.4rem}
.choices input{width:1.2rem;height:1.2rem}
.field.check .check-row{display:flex;align-items:flex-start;gap:.6rem}
.field.check input[type=checkbox]{width:1.3rem;height:1.3rem;margin-top:.3rem;flex:none}
.field.check label{display:inline;font-weight:400}
input[type=file]{font:inherit;font-size:1rem;max-width:100%;padding:.3rem 0}
details{margin:.8rem 0 1.2rem}
summary{cursor:pointer;font-weight:600;color:#0b4f9c}
.panel.warn{border-color:#8a5a00;background:#fff8e6}
.panel.info{border-color:#0b4f9c;background:#eef4fb}
.panel h2{border:0;padding:0;margin-top:0}
.days-left{font-weight:700}
span.provisional{color:#8a5a00;font-weight:600}
ul.letters li{margin-bottom:.5rem}
form.inline{display:inline}
button.secondary{background:#fff;color:#0b4f9c;border:2px solid #0b4f9c}
button.secondary:hover{background:#eef4fb;color:#08386f}
button,.button{font:inherit;font-size:1rem;background:#b31b1b;color:#fff;border:0;padding:.55rem 1.4rem;cursor:pointer;text-decoration:none;display:inline-block}
button:hover,.button:hover{background:#8c1313;color:#fff}
button.link{background:none;color:#fff;text-decoration:underline;padding:0}
.panel{border:3px solid #1d6b3a;background:#f1f8f3;padding:1rem 1.2rem;margin:1rem 0}
.panel dt{font-weight:600}
.panel dd{margin:0 0 .6rem;font-size:1.5rem;font-weight:700;letter-spacing:.08em;font-family:ui-monospace,Consolas,monospace}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem}
dl.summary dt{font-weight:600;color:#444}
dl.summary dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid #c8ccd2;padding:.45rem .6rem;text-align:left;vertical-align:top}
th{background:#eef0f3}
tr.overdue td{background:#fdecec}
.tag{display:inline-block;font-size:.8rem;padding:0 .4rem;border:1px solid currentColor;margin-left:.3rem}
.tag.overdue{color:#c00}
.tag.provisional{color:#8a5a00}
ol.timeline{padding-left:1.2rem}
ol.timeline li{margin-bottom:.4rem}
.site-footer{color:#555;font-size:.85rem;padding:1rem 0 2rem}
@media (max-width:40rem){html{font-size:17px}main{padding:1rem}dl.summary{grid-template-columns:1fr}}
`;

/**
 * What only public pages add to `styles`: the header's agency name and mode switch, the
 * footer, the catalogue's pieces, the print style sheet, and the large-text, high-contrast
 * mode for older readers (`<body class="care">`, 适老化): text of at least 22px, black on
 * white, a yellow focus, larger buttons and more line height.
 */
export const publicStyles = `
.site-header .tools{display:flex;align-items:center;gap:1rem;font-size:.95rem}
.site-header .tools a{color:#fff}
.site-footer .inner p{margin:.2rem 0}
.site-footer .inner span+span{margin-left:1.5em}
.site-footer a{color:#444}
.crumbs{font-size:.9rem;color:#555;margin:0 0 .6rem}
.crumbs ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap}
.crumbs li+li::before{content:"›";padding:0 .4rem;color:#888}
table.meta th{width:8em;white-space:nowrap}
.withdrawn{border:4px solid #c00;background:#fdecec;padding:1rem 1.2rem;margin:1rem 0}
.withdrawn h2{border:0;padding:0;margin:0 0 .4rem;color:#c00}
.corrections{border-left:5px solid #8a5a00;background:#fff8e6;padding:.6rem 1rem;margin:1rem 0}
.corrections h2{border:0;padding:0;margin:0 0 .3rem}
.article{margin:1.2rem 0;overflow-wrap:anywhere}
.article img{max-width:100%;height:auto}
.facets{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;list-style:none;padding:0}
.facets a[aria-current=true],.facets a[aria-current=page]{font-weight:700;color:#1f1f1f;text-decoration:none;border-bottom:3px solid #b31b1b}
.count{color:#555;font-size:.9rem}
a.clear{margin-left:1em}
form.search{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;margin:1rem 0;padding:.8rem 1rem;background:#f6f7f9;border:1px solid #d8dbe0}
form.search .field{margin:0}
form.search input[type=search]{font:inherit;font-size:1rem;width:20rem;max-width:100%;padding:.4rem .5rem;border:2px solid #555;border-radius:0}
form.search select{width:auto}
ol.results{padding-left:1.6rem}
ol.results li{margin-bottom:.9rem}
ol.results .meta{color:#555;font-size:.9rem}
ol.results .meta span+span::before{content:" · "}
nav.pages ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1rem}
.guide p{text-indent:2em}
.guide .updated{text-indent:0;color:#555}
body.care{font-size:24px;line-height:1.9;color:#000;background:#fff}
body.care *{font-size:22px;font-size:max(22px,1em)}
body.care h1{font-size:34px}
body.care h2{font-size:28px}
body.care .site-title{font-size:30px}
body.care main{border:2px solid #000}
body.care a{color:#00239c;text-decoration:underline}
body.care .site-header,body.care .site-header .tools a,body.care .site-title{background:#000;color:#fff}
body.care .site-header{border-bottom-color:#ffd400}
body.care .site-nav a{color:#00239c;padding:.9rem 0}
body.care .count,body.care .hint,body.care .crumbs,body.care ol.results .meta,body.care .site-footer,body.care .site-footer a,body.care .guide .updated{color:#000}
body.care th{background:#e6e6e6;color:#000}
body.care th,body.care td{border-color:#000}
body.care button,body.care .button{min-height:3rem;padding:.8rem 1.8rem;background:#000;color:#fff;border:3px solid #000}
body.care button:hover,body.care .button:hover{background:#333}
body.care input,body.care select,body.care textarea{border:3px solid #000;padding:.6rem}
body.care :focus-visible,body.care a:focus{outline:4px solid #000;outline-offset:2px;background:#ffd400;color:#000}
@media print{
body,body.care{background:#fff;color:#000}
body:not(.care){font-size:12pt;line-height:1.6}
.skip,.site-nav,.site-header .tools,form,nav.pages,.facets,.no-print{display:none!important}
.site-header,body.care .site-header{background:#fff;color:#000;border-bottom:2px solid #000}
.site-title,body.care .site-title{color:#000;background:#fff}
main,body.care main{border:0;margin:0;padding:0;max-width:none}
a,body.care a{color:#000}
main a[href]::after{content:" <" attr(href) ">";font-size:.85em;overflow-wrap:anywhere}
main a[href^="#"]::after{content:""}
h1,h2{color:#000;border-color:#000;page-break-after:avoid}
table,tr,img{page-break-inside:avoid}
th{background:#fff}
}
`;

export interface PageOptions {
  /** the page's own title; the site name is appended */
  title: string;
  /** site name shown in the header band */
  siteName: string;
  /** where the site name links to */
  homeHref: string;
  main: Html;
  /** navigation links; `current` marks the page you are on */
  nav?: Array<{ href: string; label: string; current?: boolean }>;
  /** extra content at the right of the header band (e.g. the signed-in user) */
  headerExtra?: Html;
  /** prefixes the title with 错误： so screen readers hear it first */
  hasErrors?: boolean;
  /** the footer's content (default: the legal basis line) */
  footer?: Html;
  /** a second style sheet after `styles` */
  extraStyles?: string;
  /** class of the body element */
  bodyClass?: string;
}

export function renderPage(o: PageOptions): string {
  const nav = o.nav?.length
    ? html`<nav class="site-nav" aria-label="主导航"><div class="inner"><ul>${o.nav.map(
        (n) => html`<li><a href="${n.href}"${n.current ? raw(' aria-current="page"') : ""}>${n.label}</a></li>`,
      )}</ul></div></nav>`
    : "";
  const page = html`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.hasErrors ? "错误：" : ""}${o.title} - ${o.siteName}</title>
<style>${raw(styles)}</style>${o.extraStyles ? html`\n<style>${raw(o.extraStyles)}</style>` : ""}
</head>
<body${o.bodyClass ? html` class="${o.bodyClass}"` : ""}>
<a class="skip" href="#main">跳到主要内容</a>
<header class="site-header"><div class="inner"><a class="site-title" href="${o.homeHref}">${o.siteName}</a>${o.headerExtra ?? ""}</div></header>
${nav}
<main id="main" tabindex="-1">
${o.main}
</main>
<footer class="site-footer"><div class="inner">${o.footer ?? "依据《中华人民共和国政府信息公开条例》办理"}</div></footer>
</body>
</html>
`;
  return page.value;
}

/** Site name of the public portal. */
export const portalSiteName = "政府信息公开";

// ---------------------------------------------------------------------------
// Public pages

/** What a public page knows of the request it answers: the reader's mode and where the mode switch returns to. */
export interface PageRequest {
  /** the large-text mode (cookie `gk_care=1`) */
  care: boolean;
  /** path and query of the page, e.g. `/catalogue?agency=001008010002002` */
  path: string;
}

const pageRequests = new AsyncLocalStorage<PageRequest>();

/**
 * Runs a route handler with its request's page context, so every public page it renders
 * (the portal's existing ones too, which take no request) shows the reader's mode. The
 * local host serves requests concurrently in one process: AsyncLocalStorage keeps them apart.
 */
export function withPageRequest<T>(request: PageRequest, fn: () => T): T {
  return pageRequests.run(request, fn);
}

/** The page context of the request being answered, when a route set one. */
export function currentPageRequest(): PageRequest | undefined {
  return pageRequests.getStore();
}

/** Name and value of the large-text mode's cookie. */
export const CARE_COOKIE = "gk_care";

export type PortalSection = "home" | "guide" | "catalogue" | "consultations" | "transparency" | "apply" | "track";

export interface PortalPageOptions {
  title: string;
  main: Html;
  current?: PortalSection;
  hasErrors?: boolean;
  /** the agency the page is about: its name in the header, its site details in the footer */
  agency?: AgencyRecord;
  /** the large-text mode; default: the request's (`withPageRequest`), else off */
  care?: boolean;
  /** this page's path and query, for the mode switch; default: the request's, else the switch returns to where it was followed from */
  path?: string;
}

/** The mode switch: a plain link, so it works without JavaScript (`/care` sets the cookie and redirects back). */
function careSwitch(care: boolean, path: string | undefined): Html {
  const href = `/care?on=${care ? "0" : "1"}${path ? `&back=${encodeURIComponent(path)}` : ""}`;
  return care
    ? html`<a class="care-switch" href="${href}" title="恢复标准字号和配色">标准模式</a>`
    : html`<a class="care-switch" href="${href}" title="大字号、高对比度，便于老年人阅读">长者模式</a>`;
}

/** The footer a government site carries: 主办单位, address and phone, 网站标识码, ICP and public-security filings (what is known). */
export function siteFooter(agency: AgencyRecord | undefined): Html {
  const basis = html`<p>依据《中华人民共和国政府信息公开条例》办理</p>`;
  if (!agency) return basis;
  const site = agency.site ?? {};
  const address = site.address ?? agency.officeAddress;
  const first = [
    html`<span>主办单位：${site.organiser ?? agency.name}</span>`,
    address ? html`<span>地址：${address}${site.postalCode ? `（${site.postalCode}）` : ""}</span>` : "",
    site.phone ? html`<span>电话：${site.phone}</span>` : "",
  ];
  const second = [
    site.siteCode ? html`<span>网站标识码：${site.siteCode}</span>` : "",
    site.icp ? html`<span>ICP备案号：<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">${site.icp}</a></span>` : "",
    site.psb ? html`<span>公安机关备案号：${site.psb}</span>` : "",
  ];
  return html`<p>${first}</p>${second.some(Boolean) ? html`<p>${second}</p>` : ""}${basis}`;
}

/** The public site's navigation; with an agency, its guide, catalogue and application form. */
export function portalNav(current: PortalSection | undefined, agency?: AgencyRecord) {
  const q = agency ? `?agency=${encodeURIComponent(agency.code)}` : "";
  return [
    { href: "/", label: "首页", current: current === "home" },
    { href: `/guide${q}`, label: "政府信息公开指南", current: current === "guide" },
    { href: `/catalogue${q}`, label: "政府信息公开目录", current: current === "catalogue" },
    { href: "/consultations", label: "征求意见", current: current === "consultations" },
    { href: agency ? `/transparency/${encodeURIComponent(agency.code)}` : "/transparency", label: "公开透明度", current: current === "transparency" },
    { href: `/apply${q}`, label: "依申请公开", current: current === "apply" },
    { href: "/track", label: "查询办理进度", current: current === "track" },
  ];
}

/** Layout of every public page (portal, catalogue, guide, error pages). */
export function renderPortalPage(o: PortalPageOptions): string {
  const request = currentPageRequest();
  const care = o.care ?? request?.care ?? false;
  const path = o.path ?? request?.path;
  return renderPage({
    title: o.title,
    siteName: o.agency ? `${o.agency.name}${portalSiteName}` : portalSiteName,
    homeHref: "/",
    main: o.main,
    hasErrors: o.hasErrors ?? false,
    nav: portalNav(o.current, o.agency),
    headerExtra: html`<div class="tools">${careSwitch(care, path)}</div>`,
    footer: siteFooter(o.agency),
    extraStyles: publicStyles,
    ...(care ? { bodyClass: "care" } : {}),
  });
}
