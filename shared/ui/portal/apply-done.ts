import { caseStatusLabel } from "../../domain/labels";
import { html } from "../html";
import { renderPortalPage } from "../layout";

/** How long the confirmation can be reopened (the lifetime of its cookie). */
export const DONE_PAGE_MINUTES = 10;

export interface ApplyDoneInput {
  trackingNumber: string;
  accessCode: string;
  agencyName: string;
  status: string;
}

/** Confirmation after an online application: the tracking number and access code, and what happens next. */
export function renderApplyDone(o: ApplyDoneInput): string {
  const main = html`<h1>申请已提交</h1>
<p class="lead">您的政府信息公开申请已提交至<strong>${o.agencyName}</strong>，当前状态：<strong>${caseStatusLabel(o.status)}</strong>。</p>
<div class="panel" role="status">
<dl>
<dt>申请编号</dt>
<dd id="tracking-number">${o.trackingNumber}</dd>
<dt>查询码</dt>
<dd id="access-code">${o.accessCode}</dd>
</dl>
<p><strong>请妥善保存申请编号和查询码</strong>（可抄写、截图或打印本页）。凭这两项才能<a href="/track">查询办理进度</a>，工作人员不会向您索要查询码。</p>
</div>
<p class="note">申请已保存，刷新本页不会重复提交。本页在提交后 ${DONE_PAGE_MINUTES} 分钟内可以重新打开，之后将不再显示查询码；查询码遗失的，可在<a href="/track">查询页面</a>申请向预留的电子邮箱发送新的查询码。</p>
<h2>接下来</h2>
<ol>
<li><strong>确认收到。</strong>网上提交的申请，以本机关与您确认之日为收到申请之日（《中华人民共和国政府信息公开条例》第三十一条）。确认后，我们会通过您留下的联系方式告知您。</li>
<li><strong>答复期限。</strong>自收到申请之日起 20 个工作日内答复（收到申请的当日不计算在内，只计算工作日，周末和法定节假日不计入，调休上班日计入）；需要延长的，经批准并告知您，延长的期限最长不超过 20 个工作日（第三十三条）。</li>
<li><strong>需要补正时。</strong>申请内容不明确的，我们会在收到申请之日起 7 个工作日内一次性告知您需要补正的事项和期限；答复期限自收到补正后的申请之日起计算（第三十条）。</li>
<li><strong>不计入期限的时间。</strong>征求第三方和其他机关意见所需的时间不计算在答复期限内（第三十三条）。</li>
</ol>`;
  return renderPortalPage({ title: "申请已提交", main, current: "apply" });
}

/** The confirmation page opened after its time (or in another browser): nothing to show, and nothing was sent again. */
export function renderApplyDoneExpired(): string {
  const main = html`<h1>确认页面已过期</h1>
<p class="lead">为保护您的查询码，申请提交后的确认页面只在 ${DONE_PAGE_MINUTES} 分钟内、并且只在提交申请的浏览器中显示。打开本页不会重复提交申请。</p>
<ul>
<li>已记下申请编号和查询码的，请<a href="/track">查询办理进度</a>。</li>
<li>查询码遗失的，可在<a href="/track#lost-code">查询页面</a>申请向申请时预留的电子邮箱发送新的查询码。</li>
<li>尚未提交申请的，请<a href="/apply">填写申请表</a>。</li>
</ul>`;
  return renderPortalPage({ title: "确认页面已过期", main, current: "apply" });
}
