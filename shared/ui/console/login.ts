import type { FieldError } from "../../schemas/errors";
import { errorSummary, fieldContext, hiddenInput, selectInput, textInput } from "../form";
import { html } from "../html";
import { renderConsolePage } from "./layout";

export interface LoginPageInput {
  agencies: Array<{ code: string; name: string }>;
  /** kept after a failed attempt; the password never is */
  values?: { agencyCode?: string | undefined; username?: string | undefined };
  /** field errors (e.g. a missing username) */
  errors?: FieldError[];
  /** true after wrong credentials: one message for every cause */
  failed?: boolean;
  csrfToken: string;
  /** where to go after signing in */
  next?: string;
  action?: string;
}

export const loginFailedMessage = "机关、用户名或密码不正确";

export function renderLogin(o: LoginPageInput): string {
  const errors = o.errors ?? [];
  const values: Record<string, string> = { agencyCode: o.values?.agencyCode ?? "", username: o.values?.username ?? "" };
  if (!values.agencyCode && o.agencies.length === 1) values.agencyCode = o.agencies[0]!.code;
  const ctx = fieldContext(values, errors);
  const main = html`<h1>工作人员登录</h1>
${errorSummary(errors)}
${o.failed ? html`<div class="error-summary" role="alert"><h2>登录失败</h2><p>${loginFailedMessage}</p></div>` : ""}
<form method="post" action="${o.action ?? "/console/login"}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
${hiddenInput("next", o.next)}
${selectInput(ctx, { name: "agencyCode", label: "所属机关", required: true, options: o.agencies.map((a) => ({ value: a.code, label: a.name })) })}
${textInput(ctx, { name: "username", label: "用户名", required: true, autocomplete: "username", maxLength: 64 })}
${textInput(ctx, { name: "password", label: "密码", required: true, type: "password", autocomplete: "current-password", maxLength: 128 })}
${textInput(ctx, { name: "totp", label: "动态验证码（已绑定验证器应用的账户填写）", autocomplete: "one-time-code", maxLength: 10 })}
<p><button type="submit">登录</button></p>
</form>
<p class="note">后台密码不少于 8 位并包含特殊符号，不得使用与个人、单位或设备信息相关的内容，定期更换，不得转借他人。</p>`;
  return renderConsolePage({ title: "登录", main, hasErrors: errors.length > 0 || o.failed === true });
}

/** Same page under the name the console route uses. */
export const renderLoginPage = renderLogin;
