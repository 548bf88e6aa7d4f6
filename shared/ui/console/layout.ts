/** Shell of the staff console: header with the signed-in user, navigation, sign-out button (POST + CSRF). */
import { roleLabel } from "../../domain/roles";
import type { Html } from "../html";
import { html, raw } from "../html";
import { renderPage } from "../layout";
import { versionDiffStyles } from "./version-diff";

export const consoleSiteName = "政务公开办理平台";

export interface ConsoleUser {
  displayName: string;
  roles: string[];
  agencyName: string;
  /** the session's CSRF token, used by the sign-out form when the page is not given one */
  csrfToken?: string | undefined;
}

export type ConsoleSection =
  | "consultation-new"
  | "inbox"
  | "cases"
  | "new"
  | "publication-new"
  | "weekly-report"
  | "monthly-report"
  | "annual-report"
  | "report-archive"
  | "document-new"
  | "catalogue-change-new"
  | "calendar"
  | "site-settings"
  | "screening-settings"
  | "admin-users"
  | "admin-agency"
  | "account"
  | "duty";

export interface ConsolePageInput {
  title: string;
  /**
   * page body. A plain string is taken as trusted markup produced by another template
   * (e.g. the calendar page fragment) — never pass user input as a string here.
   */
  main: Html | string;
  /** absent on the sign-in page */
  user?: ConsoleUser;
  csrfToken?: string | undefined;
  current?: ConsoleSection;
  hasErrors?: boolean;
  /** where the sign-out form posts */
  logoutAction?: string;
}

/** Roles that enter letters, faxes and walk-ins (SPEC §7.1 `POST /api/v1/staff/applications`). */
export const ENTRY_ROLES = ["office_staff"] as const;

export function mayEnterApplications(roles: readonly string[]): boolean {
  return roles.some((r) => (ENTRY_ROLES as readonly string[]).includes(r));
}

/** Roles that submit information items (shared/app/publishing/submit.ts submitPublication). */
export const PUBLICATION_ROLES = ["info_officer", "office_staff"] as const;
/** Roles that submit official documents for disclosure (the drafting section's head, the office). */
export const DOCUMENT_ROLES = ["section_head", "office_staff"] as const;
/** Who drafts a normative document and submits it for public comment (as shared/app/consultations/submit.ts checks). */
export const CONSULTATION_ROLES = ["section_head", "info_officer"] as const;
/** Roles that ask for a correction or withdrawal of a published entry (requestCatalogueChange). */
export const CATALOGUE_CHANGE_ROLES = ["office_staff", "office_director", "web_admin"] as const;
/** Roles that edit the agency's site profile and screening word lists (shared/app/settings). */
export const SETTINGS_NAV_ROLES = ["office_staff", "office_director", "administrator"] as const;
/** who reads the reports (shared/app/reports/annual.ts REPORT_ROLES) */
/** Roles of the duty watch and website security (值班值守, 巡检, 表决). */
export const DUTY_NAV_ROLES = ["duty_officer", "leadership_group", "security_officer", "web_admin"] as const;

export const REPORT_NAV_ROLES = ["office_staff", "office_director", "deputy_leader", "principal_leader", "auditor"] as const;

const holdsAny = (roles: readonly string[], allowed: readonly string[]) => roles.some((r) => allowed.includes(r));

export function rolesText(roles: string[]): string {
  return roles.map(roleLabel).join("、");
}

/**
 * The console's own rules on top of the shared sheet: date and number inputs, marks,
 * the 督办 banner, and tables that become stacked cards on a phone (CSS only).
 */
export const consoleStyles = `
input[type=date],input[type=number]{font:inherit;font-size:1rem;width:100%;max-width:16rem;padding:.4rem .5rem;border:2px solid #555;border-radius:0;background:#fff}
td,th,dd,li,p{overflow-wrap:anywhere}
.site-header .who{overflow-wrap:anywhere}
.tag{white-space:nowrap}
.tag.at-risk{color:#8a4b00;background:#fff4e0}
.tag.overdue{background:#fdecec}
.tag.supervise{color:#fff;background:#8c1313;border-color:#8c1313}
.tag.paused,.tag.stopped{color:#444}
caption{text-align:left;font-weight:600;padding:.2rem 0}
.days{white-space:nowrap}
.days.overdue{color:#c00;font-weight:700}
.days.at-risk{color:#8a4b00;font-weight:700}
.banner{border:3px solid #b36b00;background:#fff7e6;padding:.8rem 1.1rem;margin:1rem 0}
.banner h3,.banner h4{margin:0 0 .4rem;border:0;padding:0;color:#7a3e00}
.banner p{margin:.3rem 0}
.task-note{border-left:4px solid #0b4f9c;background:#eef4fb;padding:.5rem .9rem}
.notice{border:3px solid #1d6b3a;background:#f1f8f3;padding:.8rem 1.1rem;margin:1rem 0}
.notice strong.code{font-family:ui-monospace,Consolas,monospace;letter-spacing:.08em;font-size:1.15rem}
.counts ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:.4rem 0 1rem}
.counts a{display:inline-block;border:1px solid #c8ccd2;padding:.2rem .7rem;text-decoration:none;background:#fff}
.counts a[aria-current=page]{background:#b31b1b;color:#fff;border-color:#b31b1b}
section.task{border:1px solid #c8ccd2;padding:.4rem 1rem 1rem;margin:1rem 0}
section.task h3{margin:.6rem 0 .3rem}
form.outcome{margin:.8rem 0}
ul.unavailable{list-style:none;padding:0}
ul.unavailable li{margin:.4rem 0}
ul.unavailable button[disabled]{background:#d5d7db;color:#333;cursor:not-allowed;padding:.3rem .9rem;margin-right:.5rem}
.deadline{border-bottom:1px solid #e2e4e8;padding:.3rem 0 .5rem}
.filters{display:flex;flex-wrap:wrap;gap:0 1.2rem}
.filters .field{flex:1 1 14rem;min-width:0}
.actions-index{font-size:.95rem}
mark.finding{background:#fff0a8;color:#000;text-decoration:underline;text-decoration-thickness:3px;text-decoration-color:#b31b1b;text-underline-offset:.18em;padding:0 .1em;border-bottom:0}
mark.finding.overridden{background:#e8eaed;text-decoration-style:dashed;text-decoration-color:#444}
.item-text{border:1px solid #c8ccd2;padding:.6rem .9rem;line-height:2;overflow-wrap:anywhere;background:#fff}
.item-title{font-size:1.15rem;font-weight:600}
tr.discrepancy td{background:#fdecec}
tr.discrepancy td:first-child{border-left:4px solid #b31b1b}
.tag.unscreened,.tag.discrepancy{background:#fdecec;color:#8c1313}
.tag.overridden,.tag.redacted{color:#444}
@media (forced-colors:active){mark.finding{forced-color-adjust:none;background:Mark;color:MarkText}}
@media print{mark.finding{background:none;text-decoration:underline;text-decoration-thickness:3px}}
@media (max-width:40rem){
.site-nav ul{gap:.1rem 1.1rem}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards caption{display:block;text-align:left}
table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.cards tr{border:1px solid #c8ccd2;margin:0 0 .8rem;padding:.4rem .7rem}
table.cards td{border:0;padding:.15rem 0}
table.cards td[data-label]::before{content:attr(data-label) "：";font-weight:600;color:#444}
tr.overdue{background:#fdecec}
}
${versionDiffStyles}`;

/** The sign-out button: a POST form carrying the CSRF token (a link would let any page sign you out). */
export function signOutForm(csrfToken: string | undefined, action = "/console/logout"): Html {
  return html`<form method="post" action="${action}">${
    csrfToken === undefined ? "" : html`<input type="hidden" name="csrfToken" value="${csrfToken}">`
  }<button type="submit" class="link">退出登录</button></form>`;
}

/**
 * The console's navigation, each entry only for the roles that may use its page: 录入申请
 * for the office, who enter letters, faxes and walk-ins; 报送信息 for info officers and
 * the office; 报送公文 for section heads and the office; the agency's settings for the
 * office, its director and the administrator.
 */
export function consoleNav(user: ConsoleUser, current: ConsoleSection | undefined) {
  const settings = holdsAny(user.roles, SETTINGS_NAV_ROLES);
  return [
    { href: "/console/inbox", label: "待办任务", current: current === "inbox" },
    { href: "/console/cases", label: "案件查询", current: current === "cases" },
    ...(mayEnterApplications(user.roles) ? [{ href: "/console/applications/new", label: "录入申请", current: current === "new" }] : []),
    ...(holdsAny(user.roles, PUBLICATION_ROLES) ? [{ href: "/console/publications/new", label: "报送信息", current: current === "publication-new" }] : []),
    ...(holdsAny(user.roles, DOCUMENT_ROLES) ? [{ href: "/console/documents/new", label: "报送公文", current: current === "document-new" }] : []),
    ...(holdsAny(user.roles, CONSULTATION_ROLES) ? [{ href: "/console/consultations/new", label: "征求意见", current: current === "consultation-new" }] : []),
    { href: "/console/calendar", label: "工作日历", current: current === "calendar" },
    ...(holdsAny(user.roles, DUTY_NAV_ROLES) ? [{ href: "/console/duty", label: "值班值守", current: current === "duty" }] : []),
    ...(holdsAny(user.roles, REPORT_NAV_ROLES)
      ? [
          { href: "/console/reports/weekly", label: "风险周报", current: current === "weekly-report" },
          { href: "/console/reports/monthly", label: "月度报告", current: current === "monthly-report" },
          { href: "/console/reports/annual", label: "年度报告", current: current === "annual-report" },
          { href: "/console/reports/archive", label: "报告存档", current: current === "report-archive" },
        ]
      : []),
    ...(settings
      ? [
          { href: "/console/settings/site", label: "网站设置", current: current === "site-settings" },
          { href: "/console/settings/screening", label: "筛查词库", current: current === "screening-settings" },
        ]
      : []),
    ...(user.roles.includes("administrator")
      ? [
          { href: "/console/admin/users", label: "账户管理", current: current === "admin-users" },
          { href: "/console/admin/agency", label: "机关管理", current: current === "admin-agency" },
        ]
      : []),
    { href: "/console/account/password", label: "修改密码", current: current === "account" },
  ];
}

export function renderConsolePage(o: ConsolePageInput): string {
  const headerExtra = o.user
    ? html`<div class="who">${o.user.agencyName} · ${o.user.displayName}（${rolesText(o.user.roles)}） ${signOutForm(o.csrfToken ?? o.user.csrfToken, o.logoutAction)}</div>`
    : undefined;
  const page = renderPage({
    title: o.title,
    siteName: consoleSiteName,
    homeHref: "/console",
    main: typeof o.main === "string" ? raw(o.main) : o.main,
    hasErrors: o.hasErrors ?? false,
    ...(headerExtra ? { headerExtra } : {}),
    ...(o.user ? { nav: consoleNav(o.user, o.current) } : {}),
  });
  // the shared shell has one style sheet; the console adds its own in the head (the first </head> is the shell's)
  return page.replace("</head>", () => `<style>${consoleStyles}</style>\n</head>`);
}

/** A console page for a refused or failed request (403, 404, 409…), with the navigation kept. */
export function renderConsoleErrorPage(o: { user: ConsoleUser; statusCode: number; message: string }): string {
  const title = o.statusCode === 404 ? "未找到" : o.statusCode === 403 ? "无权访问" : "无法完成请求";
  const main = html`<h1>${title}</h1>
<p>${o.message}</p>
<p><a href="/console/inbox">返回待办任务</a> · <a href="/console/cases">案件查询</a></p>`;
  return renderConsolePage({ title, main, user: o.user });
}
