/**
 * What changed between two versions of an item, for its reviewers (fragment, zh-CN):
 * additions in <ins>, removals in <del>. Not by colour alone: additions are underlined,
 * removals struck through (the browser's own style for these elements, kept by
 * versionDiffStyles), and each begins with a visually hidden 「新增：」 or 「删除：」, so
 * a screen reader says which is which. A legend explains the marks.
 */
import type { ContentVersion, DiffPart } from "../../domain/versions";
import { changeCount, diffVersions, hasChanges } from "../../domain/versions";
import type { Html } from "../html";
import { html } from "../html";
import { beijingTime } from "./parts";

/**
 * Rules for the console's style sheet (shared/ui/console/layout.ts consoleStyles). The
 * fragment reads correctly without them: <ins> and <del> are underlined and struck
 * through by every browser, and the hidden labels use the shared `.vh` rule.
 */
export const versionDiffStyles = `
.version-diff ins{text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:.2em;background:#e2f3e6;color:#0d4a1f}
.version-diff del{text-decoration:line-through;text-decoration-thickness:2px;background:#fbe5e5;color:#8c1313}
.version-diff .diff-body{border:1px solid #c8ccd2;padding:.6rem .9rem;line-height:2;overflow-wrap:anywhere}
.version-diff .legend ins,.version-diff .legend del{padding:0 .3rem}
.version-diff .nl{color:#555}
`;

/** A part's text with its line breaks kept; an added or removed line break is shown as ↵. */
function textWithBreaks(text: string, changed: boolean): Html[] {
  return text.split("\n").map((line, i) => (i === 0 ? html`${line}` : html`${changed ? html`<span class="nl" aria-hidden="true">↵</span>` : ""}<br>${line}`));
}

function renderParts(parts: DiffPart[]): Html[] {
  return parts.map((p) => {
    switch (p.kind) {
      case "same":
        return html`${textWithBreaks(p.text, false)}`;
      case "added":
        return html`<ins><span class="vh">新增：</span>${textWithBreaks(p.text, true)}</ins>`;
      case "removed":
        return html`<del><span class="vh">删除：</span>${textWithBreaks(p.text, true)}</del>`;
    }
  });
}

function versionLine(v: ContentVersion): Html {
  return html`第 ${v.n} 版：${v.by}，${beijingTime(v.at)}`;
}

/** The differences from version `a` to version `b` (`a` the older). */
export function renderVersionDiff(a: ContentVersion, b: ContentVersion): Html {
  const diff = diffVersions(a, b);
  const changes = changeCount(diff.title) + changeCount(diff.text);
  const title = hasChanges(diff.title)
    ? html`<p class="diff-body diff-title">${renderParts(diff.title)}</p>`
    : html`<p class="unchanged">标题未修改：${b.title}</p>`;
  const text = hasChanges(diff.text)
    ? html`<div class="diff-body diff-text">${renderParts(diff.text)}</div>`
    : html`<p class="unchanged">正文未修改。</p>`;
  return html`<section class="version-diff" aria-label="第 ${a.n} 版与第 ${b.n} 版的差异">
<h2>第 ${a.n} 版与第 ${b.n} 版的差异</h2>
<ul class="versions">
<li>修改前：${versionLine(a)}</li>
<li>修改后：${versionLine(b)}</li>
</ul>
${
  changes === 0
    ? html`<p class="notice" role="status">两个版本的标题和正文完全相同，没有修改。</p>`
    : html`<p class="legend">共 ${changes} 处修改。图例：<ins>新增的文字</ins>（加下划线）、<del>删除的文字</del>（加删除线）。</p>`
}
<h3>标题</h3>
${title}
<h3>正文</h3>
${text}
</section>`;
}
