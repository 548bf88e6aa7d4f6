import { html } from "../html";
import { renderPortalPage, type PortalSection } from "../layout";
import type { AgencyRecord } from "../../domain/records";

/** Where the chooser leads: the catalogue or the guide of the chosen agency. */
export type ChooserTarget = "catalogue" | "guide";

const targets: Record<ChooserTarget, { path: string; label: string }> = {
  catalogue: { path: "/catalogue", label: "政府信息公开目录" },
  guide: { path: "/guide", label: "政府信息公开指南" },
};

/**
 * The agencies to choose from when a site serves several and the address names none
 * (or names one that does not exist: then with a notice, answered as 404).
 */
export function renderAgencyChooser(o: { target: ChooserTarget; agencies: Array<Pick<AgencyRecord, "code" | "name">>; unknown?: boolean }): string {
  const t = targets[o.target];
  const main = html`<h1>${t.label}</h1>
${o.unknown ? html`<p class="note" role="alert">未找到该机关，请从下列机关中选择。</p>` : ""}
${
  o.agencies.length === 0
    ? html`<p>暂无已开通${t.label}的机关。</p>`
    : html`<p class="lead">请选择要查看的机关：</p>
<ul>${o.agencies.map((a) => html`<li><a href="${t.path}?agency=${encodeURIComponent(a.code)}">${a.name}${t.label}</a></li>`)}</ul>`
}`;
  return renderPortalPage({ title: t.label, main, current: o.target satisfies PortalSection });
}
