import type { ContentVersion } from "./data";

/** Redaction of a version in place: each passage becomes as many ■, so screening offsets stay valid. */

const escapeHtmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function versionContains(v: Pick<ContentVersion, "title" | "text">, passage: string): boolean {
  return passage.trim() !== "" && (v.text.includes(passage) || v.title.includes(passage));
}

export function redactVersion(v: ContentVersion, passages: string[]): ContentVersion {
  let { title, text, bodyHtml } = v;
  for (const p of passages) {
    // same length in UTF-16 units as the passage, so findings' offsets still point at it
    const units = "■".repeat(p.length);
    title = title.split(p).join(units);
    text = text.split(p).join(units);
    bodyHtml = bodyHtml.split(escapeHtmlText(p)).join(units);
  }
  return { ...v, title, text, bodyHtml };
}
