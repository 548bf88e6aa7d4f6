import type { LetterKind } from "./kinds";
import type { LetterDocument } from "./types";

/**
 * A letter as the ordered lines every rendering prints: HTML, .docx and plain text
 * map these one to one, so they carry the same words in the same order.
 */
export type LetterLine =
  | { role: "title"; text: string }
  | { role: "number"; text: string }
  | { role: "salutation"; text: string }
  | { role: "heading"; text: string }
  | { role: "paragraph"; text: string }
  /** a list item with its number, e.g. 1．… */
  | { role: "item"; text: string }
  | { role: "remedies"; text: string }
  /** 特此告知。 and the like */
  | { role: "formula"; text: string }
  | { role: "signature"; text: string }
  | { role: "date"; text: string }
  | { role: "contact"; text: string }
  | { role: "basis-heading"; text: string }
  | { role: "basis"; text: string };

/** The closing formula before the signature, by kind of letter. */
export function closingFormula(kind: LetterKind): string {
  if (kind.startsWith("reply_")) return "特此答复。";
  if (kind === "third_party_consultation" || kind === "agency_consultation") return "特此函询，请予支持。";
  return "特此告知。";
}

/** Numbers a list item: 1．, 2．, … (full-width stop, as in official documents). */
export function listItemLabel(index: number): string {
  return `${index + 1}．`;
}

export const BASIS_HEADING = "附：相关法律规定";

export function letterLines(doc: LetterDocument): LetterLine[] {
  const lines: LetterLine[] = [
    { role: "title", text: doc.title },
    { role: "number", text: doc.number },
    { role: "salutation", text: doc.salutation },
  ];
  for (const block of doc.body) {
    if (block.kind === "list") block.items.forEach((item, i) => lines.push({ role: "item", text: `${listItemLabel(i)}${item}` }));
    else lines.push({ role: block.kind, text: block.text });
  }
  if (doc.remedies) lines.push({ role: "remedies", text: doc.remedies });
  lines.push({ role: "formula", text: closingFormula(doc.kind) });
  lines.push({ role: "signature", text: doc.closing.agency }, { role: "date", text: doc.closing.date });
  if (doc.closing.contact) lines.push({ role: "contact", text: doc.closing.contact });
  if (doc.basis.length) {
    lines.push({ role: "basis-heading", text: BASIS_HEADING });
    for (const b of doc.basis) lines.push({ role: "basis", text: b });
  }
  return lines;
}

/** The letter as plain text, one line per line: for e-mail bodies, logs and tests. */
export function letterText(doc: LetterDocument): string {
  return letterLines(doc)
    .map((l) => l.text)
    .join("\n");
}
