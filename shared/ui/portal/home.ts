import { html } from "../html";
import { renderPortalPage } from "../layout";
import type { AgencyRecord } from "../../domain/records";

export interface AgencySummary {
  code: string;
  name: string;
}

/**
 * Portal home: where to read what is published (the guide and the catalogue), what a
 * citizen can apply for, and which agencies accept applications. With `agency` (a site
 * of one agency) the header and footer carry its name and site details.
 */
export function renderPortalHome(o: { agencies: AgencySummary[]; agency?: AgencyRecord }): string {
  const only = o.agencies.length === 1 ? o.agencies[0] : undefined;
  const q = only ? `?agency=${encodeURIComponent(only.code)}` : "";
  const main = html`<h1>政府信息公开</h1>
<p class="lead">公民、法人或者其他组织可以查阅行政机关主动公开的政府信息，也可以依法向下列机关申请获取政府信息。</p>
<h2>您可以</h2>
<ul>
<li><a href="/guide${q}">查阅政府信息公开指南</a>：了解主动公开的内容、形式和时限，申请的方式、办理流程和时限，以及监督和救济的途径和工作机构的联系方式。</li>
<li><a href="/catalogue${q}">查阅政府信息公开目录</a>：按栏目、年份浏览主动公开的政府信息，或按标题、文件编号、索引号和正文检索。</li>
<li><a href="/consultations">参与草案公开征求意见</a>：查看正在征求意见的行政规范性文件草案及其起草说明，在截止日期前提出意见；已结束的征求意见可查看意见采纳情况。</li>
<li><a href="/transparency">查看公开透明度</a>：各机关依申请公开的办理情况实时统计（按工作日计算），含答复时长、办理结果构成和主动公开数量。</li>
<li><a href="/apply">在线提交政府信息公开申请</a>：填写申请人信息、所需信息的描述以及提供形式和获取方式。提交后您将获得<strong>申请编号</strong>和<strong>查询码</strong>。</li>
<li><a href="/track">查询办理进度</a>：凭申请编号和查询码查看办理状态、答复期限和相关告知书，需要补正时可在线提交补正。查询码遗失的，可在查询页面申请向预留的电子邮箱发送新的查询码。</li>
</ul>
<h2>受理机关</h2>
${
  o.agencies.length === 0
    ? html`<p>暂无可在线受理申请的机关。</p>`
    : html`<table>
<caption class="vh">受理机关列表</caption>
<thead><tr><th scope="col">机关名称</th><th scope="col">机关代码</th><th scope="col">操作</th></tr></thead>
<tbody>${o.agencies.map((a) => {
        const code = encodeURIComponent(a.code);
        return html`<tr><td>${a.name}</td><td>${a.code}</td><td><a href="/apply?agency=${code}">向该机关申请</a> · <a href="/catalogue?agency=${code}">公开目录</a> · <a href="/guide?agency=${code}">公开指南</a></td></tr>`;
      })}</tbody>
</table>`
}
<h2>办理时限</h2>
<p>能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 20 个工作日内予以答复；需要延长答复期限的，经批准并告知申请人，延长的期限最长不超过 20 个工作日（《中华人民共和国政府信息公开条例》第三十三条）。</p>`;
  return renderPortalPage({ title: "首页", main, current: "home", ...(o.agency ? { agency: o.agency } : {}) });
}
