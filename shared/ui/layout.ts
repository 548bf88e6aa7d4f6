/**
 * The page shell shared by the portal and the console: zh-CN, no JavaScript, no external
 * assets; one small inline style sheet in a plain government-site look.
 */
import type { Html } from "./html";
import { html, raw } from "./html";

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
<style>${raw(styles)}</style>
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
<header class="site-header"><div class="inner"><a class="site-title" href="${o.homeHref}">${o.siteName}</a>${o.headerExtra ?? ""}</div></header>
${nav}
<main id="main" tabindex="-1">
${o.main}
</main>
<footer class="site-footer"><div class="inner">依据《中华人民共和国政府信息公开条例》办理</div></footer>
</body>
</html>
`;
  return page.value;
}

/** Site name of the public portal. */
export const portalSiteName = "政府信息公开";

/** Layout of the citizen portal. */
export function renderPortalPage(o: { title: string; main: Html; current?: "home" | "apply" | "track"; hasErrors?: boolean }): string {
  return renderPage({
    title: o.title,
    siteName: portalSiteName,
    homeHref: "/",
    main: o.main,
    hasErrors: o.hasErrors ?? false,
    nav: [
      { href: "/", label: "首页", current: o.current === "home" },
      { href: "/apply", label: "提交申请", current: o.current === "apply" },
      { href: "/track", label: "查询办理进度", current: o.current === "track" },
    ],
  });
}
