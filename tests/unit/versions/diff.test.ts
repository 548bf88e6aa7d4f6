import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ContentVersion, DiffPart } from "../../../shared/domain/versions";
import { changeCount, diffText, diffVersions, sentences } from "../../../shared/domain/versions";
import { renderVersionDiff } from "../../../shared/ui/console/version-diff";

const version = (n: number, title: string, text: string, by = "信息员 周洁", at = "2026-12-02T06:05:00Z"): ContentVersion => ({ n, title, text, at, by });

const before = (parts: DiffPart[]) => parts.filter((p) => p.kind !== "added").map((p) => p.text).join("");
const after = (parts: DiffPart[]) => parts.filter((p) => p.kind !== "removed").map((p) => p.text).join("");

describe("sentences", () => {
  it("cuts after sentence ends and line breaks, keeping closing quotes with their sentence", () => {
    expect(sentences("一、总则。本办法适用于全区！是否适用？“确认。”另见第三条；\n二、附则")).toEqual([
      "一、总则。",
      "本办法适用于全区！",
      "是否适用？",
      "“确认。”",
      "另见第三条；",
      "\n",
      "二、附则",
    ]);
    expect(sentences("")).toEqual([]);
    expect(sentences("没有句号")).toEqual(["没有句号"]);
  });
});

describe("diffText", () => {
  it("leaves untouched sentences whole and marks only what changed in a sentence", () => {
    const a = "为做好元旦假期服务工作，现将有关事项通知如下。办事大厅1月1日至3日休息。咨询电话：0576-84111111。";
    const b = "为做好元旦假期服务工作，现将有关事项通知如下。办事大厅1月1日至2日休息，3日正常上班。咨询电话：0576-84111111。";
    expect(diffText(a, b)).toEqual([
      { kind: "same", text: "为做好元旦假期服务工作，现将有关事项通知如下。办事大厅1月1日至" },
      { kind: "removed", text: "3" },
      { kind: "added", text: "2" },
      { kind: "same", text: "日休息" },
      { kind: "added", text: "，3日正常上班" },
      { kind: "same", text: "。咨询电话：0576-84111111。" },
    ]);
  });

  it("folds a short stretch left in common between two edits into one replaced phrase", () => {
    // diffChars alone: 今→明, 天 same, 下→上, 午 same, 三→九 — five pieces for one change
    expect(diffText("定于今天下午三点开会。", "定于明天上午九点开会。")).toEqual([
      { kind: "same", text: "定于" },
      { kind: "removed", text: "今天下午三" },
      { kind: "added", text: "明天上午九" },
      { kind: "same", text: "点开会。" },
    ]);
  });

  it("shows a rewritten sentence as removed and added, not as scattered characters", () => {
    const parts = diffText("我们的工作是为了人民的利益。第二句不变。", "全体干部职工要以群众满意为标准。第二句不变。");
    expect(parts).toEqual([
      { kind: "removed", text: "我们的工作是为了人民的利益。" },
      { kind: "added", text: "全体干部职工要以群众满意为标准。" },
      { kind: "same", text: "第二句不变。" },
    ]);
  });

  it("finds added and removed sentences and paragraphs", () => {
    expect(diffText("第一段。\n第二段。", "第一段。\n新增段落。\n第二段。")).toEqual([
      { kind: "same", text: "第一段。\n" },
      { kind: "added", text: "新增段落。\n" },
      { kind: "same", text: "第二段。" },
    ]);
    expect(diffText("甲。乙。丙。", "甲。丙。")).toEqual([
      { kind: "same", text: "甲。" },
      { kind: "removed", text: "乙。" },
      { kind: "same", text: "丙。" },
    ]);
    expect(diffText("", "全文新增。")).toEqual([{ kind: "added", text: "全文新增。" }]);
    expect(diffText("全文删除。", "")).toEqual([{ kind: "removed", text: "全文删除。" }]);
    expect(diffText("", "")).toEqual([]);
  });

  it("treats \\r\\n as \\n (a textarea posts \\r\\n)", () => {
    expect(diffText("第一段。\r\n第二段。", "第一段。\n第二段。")).toEqual([{ kind: "same", text: "第一段。\n第二段。" }]);
  });

  it("keeps characters outside the BMP whole", () => {
    const parts = diffText("𠀀𠀁", "𠀀𠀂");
    for (const p of parts) expect(p.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    expect(before(parts)).toBe("𠀀𠀁");
    expect(after(parts)).toBe("𠀀𠀂");
  });

  it("always adds up: same + removed is the old text, same + added the new, no empty or repeated kinds", () => {
    const alphabet = fc.constantFrom(..."的了是在一二三四五通知办公室元旦假期。，！？；\n“”𠀀ab");
    const text = fc.array(alphabet, { maxLength: 80 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const parts = diffText(a, b);
        expect(before(parts)).toBe(a);
        expect(after(parts)).toBe(b);
        parts.forEach((p, i) => {
          expect(p.text).not.toBe("");
          if (i > 0) expect(parts[i - 1]!.kind).not.toBe(p.kind);
          // a replacement reads removed, then added
          if (p.kind === "removed") expect(parts[i - 1]?.kind).not.toBe("added");
        });
      }),
      { numRuns: 300 },
    );
  });

  it("gives up on hopelessly different long texts quickly, showing a rewrite", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `第${i}句甲。`).join("");
    const b = Array.from({ length: 3000 }, (_, i) => `第${i}句乙。`).join("");
    const started = Date.now();
    const parts = diffText(a, b);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(before(parts)).toBe(a);
    expect(after(parts)).toBe(b);
  });
});

describe("diffVersions", () => {
  it("compares the titles and the texts", () => {
    const d = diffVersions(version(1, "关于开展安全检查的通知", "正文。"), version(2, "关于开展消防安全检查的通知", "正文。"));
    expect(d.title).toEqual([
      { kind: "same", text: "关于开展" },
      { kind: "added", text: "消防" },
      { kind: "same", text: "安全检查的通知" },
    ]);
    expect(d.text).toEqual([{ kind: "same", text: "正文。" }]);
    expect(changeCount(d.title)).toBe(1);
    expect(changeCount(d.text)).toBe(0);
  });
});

describe("renderVersionDiff", () => {
  const a = version(1, "关于开展安全检查的通知", "办事大厅1月1日至3日休息。\n咨询电话：0576-84111111。", "信息员 周洁", "2026-12-01T02:00:00Z");
  const b = version(2, "关于开展消防安全检查的通知", "办事大厅1月1日至2日休息，3日正常上班。\n咨询电话：0576-84111111。", "信息员 周洁", "2026-12-02T06:05:00Z");

  it("marks additions with <ins> and removals with <del>, each with a hidden label, and explains the marks", () => {
    const out = renderVersionDiff(a, b).value;
    expect(out).toContain("<ins><span class=\"vh\">新增：</span>消防</ins>");
    expect(out).toContain(
      '至<del><span class="vh">删除：</span>3</del><ins><span class="vh">新增：</span>2</ins>日休息<ins><span class="vh">新增：</span>，3日正常上班</ins>。',
    );
    expect(out).toContain("图例：<ins>新增的文字</ins>（加下划线）、<del>删除的文字</del>（加删除线）");
    expect(out).toContain("共 3 处修改");
    expect(out).toContain("<br>咨询电话");
  });

  it("says who saved each version and when, in Beijing time, by display name", () => {
    const out = renderVersionDiff(a, b).value;
    expect(out).toContain('第 1 版：信息员 周洁，<time datetime="2026-12-01T10:00+08:00">2026-12-01 10:00</time>');
    expect(out).toContain('第 2 版：信息员 周洁，<time datetime="2026-12-02T14:05+08:00">2026-12-02 14:05</time>');
    expect(out).not.toContain("2026-12-02T06:05:00Z");
  });

  it("says so when nothing changed", () => {
    const out = renderVersionDiff(a, { ...a, n: 2 }).value;
    expect(out).toContain("没有修改");
    expect(out).not.toContain("<ins><span");
    expect(out).not.toContain("<del><span");
  });

  it("shows an added or removed line break", () => {
    const out = renderVersionDiff(version(1, "标题", "第一段。第二段。"), version(2, "标题", "第一段。\n第二段。")).value;
    expect(out).toContain('<ins><span class="vh">新增：</span><span class="nl" aria-hidden="true">↵</span><br></ins>');
  });

  it("escapes every text", () => {
    const out = renderVersionDiff(
      version(1, "<b>旧</b>", "<script>alert(1)</script>", "张三<i>"),
      version(2, "<b>新</b>", `<img src=x onerror=alert(1)>"'&`, "李四</li>"),
    ).value;
    expect(out).not.toMatch(/<script|<img|<b>|<i>|李四<\/li>/);
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;");
    expect(out).toContain("张三&lt;i&gt;");
  });
});
