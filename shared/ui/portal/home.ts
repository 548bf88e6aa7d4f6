import { html } from "../html";
import { renderPortalPage } from "../layout";

export interface AgencySummary {
  code: string;
  name: string;
}

/** Portal home: what a citizen can do here, and which agencies accept applications. */
export function renderPortalHome(o: { agencies: AgencySummary[] }): string {
  const main = html`<h1>政府信息公开申请</h1>
<p class="lead">公民、法人或者其他组织可以依法向下列机关申请获取政府信息。</p>
<h2>您可以</h2>
<ul>
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
<tbody>${o.agencies.map(
        (a) => html`<tr><td>${a.name}</td><td>${a.code}</td><td><a href="/apply?agency=${encodeURIComponent(a.code)}">向该机关申请</a></td></tr>`,
      )}</tbody>
</table>`
}
<h2>办理时限</h2>
<p>能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 20 个工作日内予以答复；需要延长答复期限的，经批准并告知申请人，延长的期限最长不超过 20 个工作日（《中华人民共和国政府信息公开条例》第三十三条）。</p>`;
  return renderPortalPage({ title: "首页", main, current: "home" });
}
