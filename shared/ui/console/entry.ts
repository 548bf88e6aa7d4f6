/**
 * Staff entry of an application that came by letter, registered mail, fax or in person
 * (SPEC §7.1 `POST /api/v1/staff/applications`): the art. 29 fields, how it came and
 * the days art. 31 decides the receipt date from. The office registers it as it enters
 * it. Works without JavaScript: both applicant groups are shown, the server ignores
 * the one that does not apply.
 */
import type { FieldError } from "../../schemas/errors";
import { applicationFieldsets, options } from "../application-fields";
import { channelLabels } from "../../domain/workflows/application/data";
import { errorSummary, fieldContext, hiddenInput, radioGroup, textInput } from "../form";
import { html } from "../html";
import type { ConsoleUser } from "./layout";
import { renderConsolePage } from "./layout";

/** The channels the office enters (online applications come through the portal). */
export const entryChannels = ["letter", "registered_mail", "fax", "in_person"] as const;

export interface EntryPageInput {
  user: ConsoleUser & { csrfToken?: string };
  csrfToken: string;
  /** the agency the office enters for: its own */
  agencyName: string;
  /** today in Beijing: the receipt date starts with it */
  today: string;
  /** raw form strings, kept after an error */
  values?: Record<string, string>;
  errors?: FieldError[];
  action?: string;
}


export function renderEntryPage(o: EntryPageInput): string {
  const errors = o.errors ?? [];
  const values: Record<string, string> = { receivedOn: o.today, ...o.values };
  const ctx = fieldContext(values, errors);
  const main = html`<h1>录入申请</h1>
${errorSummary(errors)}
<p>录入以信函、挂号信件、传真或当面提交的政府信息公开申请。录入即受理登记：系统按《中华人民共和国政府信息公开条例》第三十一条确定收到申请之日，开始计算法定答复期限，并转入审查。标有 <span class="req">*</span> 的为必填项。</p>
<form method="post" action="${o.action ?? "/console/applications/new"}" accept-charset="UTF-8" novalidate>
${hiddenInput("csrfToken", o.csrfToken)}
<fieldset>
<legend>收到申请</legend>
<p class="group-note">受理机关：${o.agencyName}</p>
${radioGroup(ctx, { name: "channel", label: "收到申请的方式", required: true, options: options(entryChannels, channelLabels) })}
${textInput(ctx, {
  name: "receivedOn",
  label: "收到申请日期",
  required: true,
  type: "date",
  hint: `已预填今天（北京时间 ${o.today}），请按实际日期核对修改：当面提交的，为提交之日；信函、传真的，为与申请人确认收到之日；挂号信件的，为收到之日，另填签收日期。`,
})}
${textInput(ctx, {
  name: "signedForOn",
  label: "挂号信签收日期（选择“挂号信件”时必填）",
  type: "date",
  hint: "挂号信件以签收之日为收到申请之日。格式：YYYY-MM-DD。",
})}
</fieldset>

${applicationFieldsets(ctx, { personal: false })}

<p><button type="submit">录入并受理登记</button></p>
</form>`;
  return renderConsolePage({ title: "录入申请", main, user: o.user, csrfToken: o.csrfToken, current: "new", hasErrors: errors.length > 0 });
}
