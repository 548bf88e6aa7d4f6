/**
 * Console pages of staff accounts (issue 11 parts 1–2): the administrator's list of
 * accounts (names and roles in Chinese), the account form (create / edit / disable, roles
 * as checkboxes, the reset link, removing a lost second factor), the agency form, the
 * user's own password change and TOTP enrolment, and the page of a password-reset link.
 * Plain forms (no JavaScript); times in Beijing time; people by display name.
 */
import type { FieldError } from "../../schemas/errors";
import { staffRoles } from "../../schemas/accounts";
import { roleLabel } from "../../domain/roles";
import type { SecurityTrailRow, StaffAccountView } from "../../app/accounts/staff";
import type { AgencyView } from "../../app/accounts/agencies";
import { errorSummary, fieldContext, hiddenInput, checkbox, textInput, isTicked } from "../form";
import { formatShanghaiTime, html, type Html } from "../html";
import { renderConsolePage, type ConsoleUser } from "./layout";

export const ADMIN_USERS_PATH = "/console/admin/users";
export const ADMIN_AGENCY_PATH = "/console/admin/agency";
export const NEW_AGENCY_PATH = "/console/admin/agencies/new";
export const RESET_PAGE_PATH = "/console/password-reset";
export const SECURITY_TRAIL_PATH = "/console/admin/security";

const when = (iso: string | undefined) => (iso ? `${formatShanghaiTime(iso)}` : "—");
const notice = (text: string | undefined) => (text ? html`<div class="notice" role="status"><p>${text}</p></div>` : "");
const policyNote = html`<p class="note">密码至少 8 位，须含字母、数字和特殊符号；不得包含用户名、本人姓名或电话、本机关名称或机关代码；不得为常见弱密码，不得与最近 5 次使用过的密码相同；定期更换，不得转借他人（《政务公开网站安全防护制度》第二条）。</p>`;

/** Role checkboxes post as `role_<name>=yes` (a form posts single values). */
export function rolesFromForm(form: Record<string, string>, prefix = "role_"): string[] {
  return staffRoles.filter((r) => isTicked(form[`${prefix}${r}`]));
}

function roleBoxes(values: Record<string, string>, errors: FieldError[], legend: string, prefix = "role_", path = "roles"): Html {
  const error = errors.find((e) => e.path === path || e.path.startsWith(`${path}.`));
  const ctx = fieldContext(values, []);
  return html`<fieldset class="field${error ? " has-error" : ""}" id="f-${path}"><legend>${legend}</legend>
${error ? html`<p class="error" id="f-${path}-error">${error.message}</p>` : ""}
${staffRoles.map((r) => checkbox(ctx, { name: `${prefix}${r}`, label: roleLabel(r) }))}
</fieldset>`;
}

// ---- the administrator's list and account form ------------------------------------------

function status(u: StaffAccountView): string {
  const parts = [u.disabled ? "已停用" : "启用"];
  if (u.passwordChangeDue === "initial") parts.push("待首次修改密码");
  if (u.passwordChangeDue === "expired") parts.push("密码已到期");
  if (u.passwordResetPending) parts.push("已发送重置链接");
  return parts.join("，");
}

export function renderStaffListPage(o: { user: ConsoleUser; accounts: StaffAccountView[]; notice?: string }): string {
  const main = html`<h1>账户管理</h1>
${notice(o.notice)}
<p><a href="${ADMIN_USERS_PATH}/new">新建账户</a> · <a href="${ADMIN_AGENCY_PATH}">本机关信息与登录安全策略</a> · <a href="${NEW_AGENCY_PATH}">新建机关</a> · <a href="${SECURITY_TRAIL_PATH}">安全审计记录</a></p>
<table class="cards"><caption>本机关工作人员账户（${o.accounts.length} 个）</caption>
<thead><tr><th scope="col">姓名</th><th scope="col">角色</th><th scope="col">状态</th><th scope="col">双因素认证</th><th scope="col">最近登录（北京时间）</th><th scope="col">密码修改于</th></tr></thead>
<tbody>${o.accounts.map(
    (u) => html`<tr><td data-label="姓名"><a href="${ADMIN_USERS_PATH}/${encodeURIComponent(u.username)}">${u.displayName}</a></td>
<td data-label="角色">${u.roleLabels.join("、")}</td><td data-label="状态">${status(u)}</td>
<td data-label="双因素认证">${u.totpEnabled ? "已绑定" : u.totpRequired ? "须绑定，尚未绑定" : "未要求"}</td>
<td data-label="最近登录">${when(u.lastSignInAt)}</td><td data-label="密码修改于">${when(u.passwordChangedAt)}</td></tr>`,
  )}</tbody></table>`;
  return renderConsolePage({ title: "账户管理", main, user: o.user, current: "admin-users" });
}

export function renderStaffFormPage(o: {
  user: ConsoleUser;
  csrfToken: string;
  /** absent: a new account */
  account?: StaffAccountView;
  values?: Record<string, string>;
  errors?: FieldError[];
  notice?: string;
}): string {
  const errors = o.errors ?? [];
  const a = o.account;
  const values: Record<string, string> = o.values ?? (a ? { displayName: a.displayName, email: a.email, phone: a.phone ?? "", disabled: a.disabled ? "yes" : "", ...Object.fromEntries(a.roles.map((r) => [`role_${r}`, "yes"])) } : {});
  const ctx = fieldContext(values, errors);
  const action = a ? `${ADMIN_USERS_PATH}/${encodeURIComponent(a.username)}` : `${ADMIN_USERS_PATH}/new`;
  const title = a ? `账户：${a.displayName}` : "新建账户";
  const main = html`<h1>${title}</h1>
${notice(o.notice)}
${errorSummary(errors)}
${a ? html`<p>用户名 <span class="code">${a.username}</span> · ${status(a)} · 最近登录 ${when(a.lastSignInAt)} · 密码修改于 ${when(a.passwordChangedAt)} · 双因素认证${a.totpEnabled ? "已绑定" : "未绑定"}</p>` : ""}
<form method="post" action="${action}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${a ? "" : textInput(ctx, { name: "username", label: "用户名", hint: "2–64 位字母、数字、点、连字符或下划线，以字母或数字开头；创建后不能修改", required: true, maxLength: 64 })}
${textInput(ctx, { name: "displayName", label: "姓名", required: true, maxLength: 40 })}
${roleBoxes(values, errors, "角色（可多选）")}
${textInput(ctx, { name: "email", label: "电子邮箱", type: "email", required: true, maxLength: 254, hint: "待办提醒和重置密码链接发往此处" })}
${textInput(ctx, { name: "phone", label: "联系电话", type: "tel", maxLength: 32 })}
${a ? "" : textInput(ctx, { name: "initialPassword", label: "初始密码", type: "password", required: true, autocomplete: "new-password", maxLength: 128, hint: "至少 8 位，含字母、数字和特殊符号；用户首次登录后必须修改" })}
${a ? checkbox(ctx, { name: "disabled", label: "停用该账户（其登录立即失效）" }) : ""}
${a?.totpEnabled ? checkbox(ctx, { name: "removeTotp", label: "解除已绑定的动态验证码（例如手机遗失），用户下次登录时重新绑定" }) : ""}
<p><button type="submit">${a ? "保存" : "创建账户"}</button></p>
</form>
${a
    ? html`<h2>重置密码</h2><p>向 ${a.email} 发送一次性重置链接（24 小时内有效，邮件中不含密码）。</p>
<form method="post" action="${action}/password-reset">${hiddenInput("csrfToken", o.csrfToken)}<p><button type="submit">发送重置链接</button></p></form>`
    : ""}
<p><a href="${ADMIN_USERS_PATH}">返回账户列表</a></p>`;
  return renderConsolePage({ title, main, user: o.user, current: "admin-users", hasErrors: errors.length > 0 });
}

// ---- the agency form ----------------------------------------------------------------------

const agencyFields = (ctx: ReturnType<typeof fieldContext>) => html`${textInput(ctx, { name: "name", label: "机关名称", required: true, maxLength: 60 })}
${textInput(ctx, { name: "letterhead", label: "文书抬头及落款（印章）名称", hint: "默认为机关名称", maxLength: 60 })}
${textInput(ctx, { name: "letterPrefix", label: "答复书文号前缀", required: true, hint: "例如 黄行服依复 → 黄行服依复〔2026〕3号", maxLength: 20 })}
${textInput(ctx, { name: "officeContact", label: "办公室联系方式", hint: "写入文书，例如 办公室 0576-84111111", maxLength: 100 })}
${textInput(ctx, { name: "officeAddress", label: "办公地址", maxLength: 100 })}
${textInput(ctx, { name: "reviewAuthority", label: "行政复议机关", hint: "同级人民政府，写入答复书的救济途径", maxLength: 60 })}
${textInput(ctx, { name: "court", label: "管辖法院", maxLength: 60 })}`;

const securityFields = (ctx: ReturnType<typeof fieldContext>, values: Record<string, string>, errors: FieldError[]) => html`<h2>登录安全策略</h2>
${roleBoxes(values, errors, "登录须使用动态验证码（双因素认证）的角色", "totp_", "security.totpRoles")}
${textInput(ctx, { name: "security.passwordMaxAgeDays", label: "密码有效期（天）", hint: "到期后下次登录须修改；0 表示不过期", maxLength: 3, inputMode: "numeric" })}
${textInput(ctx, { name: "security.sessionIdleMinutes", label: "空闲超时（分钟）", hint: "连续无操作多少分钟即退出登录，5–720", maxLength: 3, inputMode: "numeric" })}`;

export function agencyFormValues(a: AgencyView): Record<string, string> {
  return {
    name: a.name,
    letterhead: a.letterhead ?? "",
    letterPrefix: a.letterPrefix ?? "",
    officeContact: a.officeContact ?? "",
    officeAddress: a.officeAddress ?? "",
    reviewAuthority: a.reviewAuthority ?? "",
    court: a.court ?? "",
    "security.passwordMaxAgeDays": String(a.security.passwordMaxAgeDays),
    "security.sessionIdleMinutes": String(a.security.sessionIdleMinutes),
    ...Object.fromEntries(a.security.totpRoles.map((r) => [`totp_${r}`, "yes"])),
  };
}

export function renderAgencyPage(o: { user: ConsoleUser; csrfToken: string; agency: AgencyView; values?: Record<string, string>; errors?: FieldError[]; notice?: string }): string {
  const errors = o.errors ?? [];
  const values = o.values ?? agencyFormValues(o.agency);
  const ctx = fieldContext(values, errors);
  const main = html`<h1>本机关信息</h1>
${notice(o.notice)}
${errorSummary(errors)}
<p>机关代码 <span class="code">${o.agency.code}</span>（政府信息公开目录索引号的前缀，不能修改）</p>
<form method="post" action="${ADMIN_AGENCY_PATH}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${agencyFields(ctx)}
${securityFields(ctx, values, errors)}
<p><button type="submit">保存</button></p>
</form>
<p><a href="${NEW_AGENCY_PATH}">新建机关</a> · <a href="${ADMIN_USERS_PATH}">账户管理</a></p>`;
  return renderConsolePage({ title: "本机关信息", main, user: o.user, current: "admin-agency", hasErrors: errors.length > 0 });
}

export function renderNewAgencyPage(o: { user: ConsoleUser; csrfToken: string; values?: Record<string, string>; errors?: FieldError[]; created?: { name: string; code: string; administrator?: string } }): string {
  const errors = o.errors ?? [];
  const values = o.values ?? { totp_administrator: "yes", "security.passwordMaxAgeDays": "90", "security.sessionIdleMinutes": "30" };
  const ctx = fieldContext(values, errors);
  const main = html`<h1>新建机关</h1>
${o.created ? notice(`已创建机关 ${o.created.name}（${o.created.code}）${o.created.administrator ? `及其系统管理员 ${o.created.administrator}，请将用户名和初始密码当面或电话告知本人` : ""}。`) : ""}
${errorSummary(errors)}
<form method="post" action="${NEW_AGENCY_PATH}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${textInput(ctx, { name: "code", label: "机关代码", required: true, hint: "15 位数字，政府信息公开目录索引号的前缀", maxLength: 15, inputMode: "numeric" })}
${agencyFields(ctx)}
${securityFields(ctx, values, errors)}
<h2>第一位系统管理员</h2>
<p class="note">首次登录须修改初始密码并绑定验证器应用。</p>
${textInput(ctx, { name: "administrator.username", label: "用户名", required: true, maxLength: 64 })}
${textInput(ctx, { name: "administrator.displayName", label: "姓名", required: true, maxLength: 40 })}
${textInput(ctx, { name: "administrator.email", label: "电子邮箱", type: "email", required: true, maxLength: 254 })}
${textInput(ctx, { name: "administrator.phone", label: "联系电话", type: "tel", maxLength: 32 })}
${textInput(ctx, { name: "administrator.initialPassword", label: "初始密码", type: "password", required: true, autocomplete: "new-password", maxLength: 128 })}
<p><button type="submit">创建机关</button></p>
</form>`;
  return renderConsolePage({ title: "新建机关", main, user: o.user, current: "admin-agency", hasErrors: errors.length > 0 });
}

// ---- the user's own password, second factor, and the reset link ---------------------------

export function renderPasswordPage(o: { user: ConsoleUser; csrfToken: string; reason?: "initial" | "expired"; errors?: FieldError[]; changed?: boolean }): string {
  const errors = o.errors ?? [];
  const ctx = fieldContext({}, errors);
  const why = o.reason === "expired" ? "您的密码已到期，请先设置新密码。" : o.reason === "initial" ? "首次登录或密码被重置后，请先设置您自己的新密码。" : undefined;
  const main = html`<h1>修改密码</h1>
${o.changed ? notice("密码已修改。") : ""}
${why ? html`<div class="notice" role="alert"><p>${why}</p></div>` : ""}
${errorSummary(errors)}
<form method="post" action="/console/account/password" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${textInput(ctx, { name: "currentPassword", label: "当前密码", type: "password", required: true, autocomplete: "current-password", maxLength: 128 })}
${textInput(ctx, { name: "newPassword", label: "新密码", type: "password", required: true, autocomplete: "new-password", maxLength: 128 })}
${textInput(ctx, { name: "confirmPassword", label: "再次输入新密码", type: "password", required: true, autocomplete: "new-password", maxLength: 128 })}
<p><button type="submit">修改密码</button></p>
</form>
${policyNote}
<p><a href="/console/account/totp">双因素认证（验证器应用）</a></p>`;
  return renderConsolePage({ title: "修改密码", main, user: o.user, current: "account", hasErrors: errors.length > 0 });
}

export function renderTotpPage(o: {
  user: ConsoleUser;
  csrfToken: string;
  enabled: boolean;
  required: boolean;
  /** a secret just generated: shown once with the confirm form */
  enrolment?: { secret: string; otpauthUri: string };
  errors?: FieldError[];
  enrolled?: boolean;
}): string {
  const errors = o.errors ?? [];
  const ctx = fieldContext({}, errors);
  const main = html`<h1>双因素认证</h1>
${o.enrolled ? notice("已绑定验证器应用。以后登录时请同时填写验证器显示的 6 位动态验证码。") : ""}
${o.required && !o.enabled ? html`<div class="notice" role="alert"><p>本机关要求您的角色登录时使用动态验证码，请先绑定验证器应用。</p></div>` : ""}
<p>当前状态：${o.enabled ? "已绑定" : "未绑定"}。</p>
${errorSummary(errors)}
${o.enrolment
    ? html`<h2>绑定验证器应用</h2>
<ol><li>在手机上打开验证器应用（如 Microsoft Authenticator、Google Authenticator、腾讯身份验证器），选择“手动输入密钥”。</li>
<li>账户名可填您的用户名，密钥填写：<strong class="code" id="totp-secret">${o.enrolment.secret}</strong>（基于时间，30 秒，6 位）。也可使用以下地址生成二维码：<br><code id="totp-uri">${o.enrolment.otpauthUri}</code></li>
<li>输入应用显示的 6 位数字确认绑定。密钥只显示这一次，请勿截图转发他人。</li></ol>
<form method="post" action="/console/account/totp" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}${hiddenInput("action", "confirm")}
${textInput(ctx, { name: "code", label: "动态验证码", required: true, autocomplete: "one-time-code", maxLength: 6, inputMode: "numeric" })}
<p><button type="submit">确认绑定</button></p>
</form>`
    : html`<form method="post" action="/console/account/totp">${hiddenInput("csrfToken", o.csrfToken)}${hiddenInput("action", "start")}<p><button type="submit">${o.enabled ? "更换验证器（生成新密钥）" : "生成密钥并绑定"}</button></p></form>`}
<p><a href="/console/account/password">修改密码</a></p>`;
  return renderConsolePage({ title: "双因素认证", main, user: o.user, current: "account", hasErrors: errors.length > 0 });
}

export function renderResetPage(o: { token: string; displayName?: string; errors?: FieldError[]; done?: boolean; invalid?: boolean }): string {
  const errors = o.errors ?? [];
  const ctx = fieldContext({}, errors);
  const main = o.done
    ? html`<h1>已设置新密码</h1><p>请使用新密码 <a href="/console/login">登录</a>。</p>`
    : o.invalid
      ? html`<h1>重置链接无效</h1><p>该链接无效、已使用或已过期，请联系系统管理员重新发送。</p><p><a href="/console/login">返回登录</a></p>`
      : html`<h1>设置新密码</h1>
<p>${o.displayName}，请设置您的新密码。</p>
${errorSummary(errors)}
<form method="post" action="${RESET_PAGE_PATH}" accept-charset="UTF-8" novalidate>
${hiddenInput("token", o.token)}
${textInput(ctx, { name: "newPassword", label: "新密码", type: "password", required: true, autocomplete: "new-password", maxLength: 128 })}
${textInput(ctx, { name: "confirmPassword", label: "再次输入新密码", type: "password", required: true, autocomplete: "new-password", maxLength: 128 })}
<p><button type="submit">设置新密码</button></p>
</form>
${policyNote}`;
  return renderConsolePage({ title: "设置新密码", main, hasErrors: errors.length > 0 });
}

export function renderSecurityTrailPage(o: { user: ConsoleUser; rows: SecurityTrailRow[]; days: number }): string {
  const main = html`<h1>安全审计记录</h1>
<p>最近 ${o.days} 天本机关的登录、登录失败、账户锁定、密码修改与重置、动态验证码，以及账户和机关的每一次修改（存档备查，只增不改）。</p>
<table class="cards"><caption>共 ${o.rows.length} 条，最新的在前</caption>
<thead><tr><th scope="col">时间（北京时间）</th><th scope="col">操作人</th><th scope="col">事项</th><th scope="col">网络地址</th></tr></thead>
<tbody>${o.rows.map((r) => html`<tr><td data-label="时间">${formatShanghaiTime(r.at)}</td><td data-label="操作人">${r.by}</td><td data-label="事项">${r.summary}</td><td data-label="网络地址">${r.clientIp}</td></tr>`)}</tbody></table>
<p><a href="${ADMIN_USERS_PATH}">返回账户管理</a></p>`;
  return renderConsolePage({ title: "安全审计记录", main, user: o.user, current: "admin-users" });
}
