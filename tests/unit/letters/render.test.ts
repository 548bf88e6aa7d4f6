import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { LetterContext } from "../../../shared/domain/letters";
import { composeLetter, letterKinds, letterLines } from "../../../shared/domain/letters";
import { renderLetterDocx } from "../../../shared/ui/letters/docx";
import { renderLetterHtml } from "../../../shared/ui/letters/html";
import { context, contextFor, sample } from "./fixtures";
import { readZipEntry, zipEntryNames } from "./zip";

const injected = `<script>alert(1)</script>"><img src=x onerror=alert(1)>&amp;`;

function hostile(): LetterContext {
  const base = context();
  return { ...base, recipient: { name: `张三<b>` }, application: { ...base.application, description: injected, documentTitle: "<i>标题</i>" } };
}

const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

describe("HTML letter", () => {
  it.each(letterKinds)("%s: a complete printable A4 page without scripts or external resources", (kind) => {
    const doc = composeLetter(kind, contextFor(kind), sample[kind]);
    const page = renderLetterHtml(doc);
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain("@page{size:A4");
    expect(page).toMatch(/font-family:"FangSong","STFangsong".*"Noto Serif CJK SC".*serif/);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
    expect(page).toContain(`<h1>${doc.title}</h1>`);
    expect(page).toContain(`<p class="number">${doc.number}</p>`);
    expect(page).toMatch(/h1\{[^}]*text-align:center/);
    expect(page).toMatch(/\.number\{[^}]*text-align:right/);
    expect(page).toContain(doc.closing.date);
    if (doc.remedies) expect(page).toContain(`<p class="remedies">${doc.remedies}</p>`);
  });

  it("escapes markup from applicant-provided text", () => {
    const page = renderLetterHtml(composeLetter("reply_not_disclosed", hostile(), { ground: "state_secret", reasons: `</p><script>x()</script>` }));
    expect(page).not.toMatch(/<script|<img|<b>|<i>/i);
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;");
    expect(page).toContain("张三&lt;b&gt;：");
    expect(page).toContain("&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;");
  });

  it("numbers the items to correct in the text, as the .docx does", () => {
    const page = renderLetterHtml(composeLetter("correction_notice", context(), sample.correction_notice));
    expect(page).toContain("<ol><li>1．请提供申请人有效身份证明的复印件。</li><li>2．");
  });
});

describe(".docx letter", () => {
  it("loads docx only when a letter is rendered", () => {
    const source = readFileSync(new URL("../../../shared/ui/letters/docx.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^import (?!type)[^;]*from "docx"/m);
    expect(source).toContain('await import("docx")');
  });

  it.each(["reply_not_disclosed", "correction_notice", "third_party_consultation"] as const)(
    "%s: a valid Word document with the same words in the same order, A4, 仿宋",
    async (kind) => {
      const doc = composeLetter(kind, contextFor(kind), sample[kind]);
      const bytes = await renderLetterDocx(doc);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes.subarray(0, 4)).toString("latin1")).toBe("PK\u0003\u0004");
      expect(zipEntryNames(bytes)).toEqual(expect.arrayContaining(["[Content_Types].xml", "word/document.xml"]));
      const xml = readZipEntry(bytes, "word/document.xml")!.toString("utf8");
      // every line, in order
      let at = 0;
      for (const line of letterLines(doc)) {
        const i = xml.indexOf(xmlText(line.text), at);
        expect(i, line.text).toBeGreaterThanOrEqual(at);
        at = i;
      }
      expect(xml).toContain(doc.title);
      expect(xml).toContain(doc.number);
      if (doc.remedies) expect(xml).toContain(doc.remedies);
      expect(xml).toMatch(/<w:pgSz[^>]*w:w="11906"[^>]*w:h="16838"/);
      expect(xml).toContain('w:eastAsia="仿宋"');
    },
  );

  it("escapes applicant text into well-formed XML", async () => {
    const bytes = await renderLetterDocx(composeLetter("reply_disclosed", hostile(), {}));
    const xml = readZipEntry(bytes, "word/document.xml")!.toString("utf8");
    expect(xml).not.toContain("<script>");
    expect(xml).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
