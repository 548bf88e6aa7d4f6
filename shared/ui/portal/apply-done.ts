import { caseStatusLabel } from "../../domain/labels";
import { html } from "../html";
import { renderPortalPage } from "../layout";

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
<p><strong>请妥善保存申请编号和查询码</strong>（可抄写、截图或打印本页）。查询码只显示这一次，凭这两项才能<a href="/track">查询办理进度</a>，工作人员不会向您索要查询码。</p>
</div>
<h2>接下来</h2>
<ol>
<li><strong>确认收到。</strong>网上提交的申请，以本机关与您确认之日为收到申请之日（《中华人民共和国政府信息公开条例》第三十一条）。确认后，我们会通过您留下的联系方式告知您。</li>
<li><strong>答复期限。</strong>自收到申请之日起 20 个工作日内答复（收到申请的当日不计算在内，只计算工作日，周末和法定节假日不计入，调休上班日计入）；需要延长的，经批准并告知您，延长的期限最长不超过 20 个工作日（第三十三条）。</li>
<li><strong>需要补正时。</strong>申请内容不明确的，我们会在收到申请之日起 7 个工作日内一次性告知您需要补正的事项和期限；答复期限自收到补正后的申请之日起计算（第三十条）。</li>
<li><strong>不计入期限的时间。</strong>征求第三方和其他机关意见所需的时间不计算在答复期限内（第三十三条）。</li>
</ol>`;
  return renderPortalPage({ title: "申请已提交", main, current: "apply" });
}
