/**
 * The text of an attachment for content screening. What cannot be read is never passed:
 * the caller lists it as unscreened with the Chinese reason returned here.
 */
import { strFromU8, unzipSync } from "fflate";

export type AttachmentText = { text: string } | { unreadable: string };

/** Inflated XML beyond this is refused: a docx of that size is a zip bomb, not a letter. */
const maxDocxXmlBytes = 64 * 1024 * 1024;

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const imageExtensions = new Set(["jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "heic", "svg"]);

function startsWith(body: Uint8Array, bytes: number[]): boolean {
  return body.length >= bytes.length && bytes.every((b, i) => body[i] === b);
}

/** The file's text, or why it could not be read. Never throws. */
export function attachmentText(name: string, contentType: string, body: Uint8Array): AttachmentText {
  try {
    const ext = /\.([a-z0-9]{1,8})$/i.exec(name.trim())?.[1]?.toLowerCase() ?? "";
    const type = contentType.toLowerCase().split(";")[0]!.trim();
    // the bytes decide before the name: a PDF renamed to .txt is still a PDF
    if (startsWith(body, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { unreadable: "无法读取PDF文字，未经筛查" };
    if (isImage(body) || type.startsWith("image/") || imageExtensions.has(ext)) return { unreadable: "无法读取图片中的文字，未经筛查" };
    if (startsWith(body, [0xd0, 0xcf, 0x11, 0xe0])) return { unreadable: "旧版Office文件或加密文件，无法读取文字，未经筛查" };
    if (ext === "docx" || type === docxType) return docxText(body);
    if (ext === "pdf" || type === "application/pdf") return { unreadable: "无法读取PDF文字，未经筛查" };
    if (ext === "txt" || ext === "csv" || type === "text/plain" || type === "text/csv") return plainText(body);
    return { unreadable: `无法读取此类文件${ext ? `（.${ext}）` : ""}的文字，未经筛查` };
  } catch {
    return { unreadable: "文件无法读取，未经筛查" };
  }
}

function isImage(body: Uint8Array): boolean {
  return (
    startsWith(body, [0x89, 0x50, 0x4e, 0x47]) || // PNG
    startsWith(body, [0xff, 0xd8, 0xff]) || // JPEG
    startsWith(body, [0x47, 0x49, 0x46, 0x38]) || // GIF
    startsWith(body, [0x49, 0x49, 0x2a, 0x00]) || // TIFF little-endian
    startsWith(body, [0x4d, 0x4d, 0x00, 0x2a]) || // TIFF big-endian
    (startsWith(body, [0x52, 0x49, 0x46, 0x46]) && body[8] === 0x57 && body[9] === 0x45 && body[10] === 0x42 && body[11] === 0x50) // WEBP
  );
}

// ---------------------------------------------------------------------------
// Plain text

function decode(encoding: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 — what Windows Notepad of a Chinese office saves. */
function plainText(body: Uint8Array): AttachmentText {
  let text: string | undefined;
  if (startsWith(body, [0xef, 0xbb, 0xbf])) text = decode("utf-8", body.subarray(3));
  else if (startsWith(body, [0xff, 0xfe])) text = decode("utf-16le", body.subarray(2));
  else if (startsWith(body, [0xfe, 0xff])) text = decode("utf-16be", body.subarray(2));
  else text = decode("utf-8", body) ?? decode("gb18030", body);
  if (text === undefined) return { unreadable: "文字编码无法识别，未经筛查" };
  // NULs mean a binary file under a text name: screening its "text" would pass it unseen
  if (text.includes("\u0000")) return { unreadable: "文件不是文本文件，无法读取文字，未经筛查" };
  return { text };
}

// ---------------------------------------------------------------------------
// Word (.docx)

const docxParts = /^word\/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/;

/** Body first, then headers, footers, notes and comments: all of them are in the file that is published. */
function partRank(name: string): number {
  if (name === "word/document.xml") return 0;
  if (name.startsWith("word/header")) return 1;
  if (name.startsWith("word/footer")) return 2;
  if (name.startsWith("word/footnotes")) return 3;
  if (name.startsWith("word/endnotes")) return 4;
  return 5;
}

function docxText(body: Uint8Array): AttachmentText {
  let files: Record<string, Uint8Array>;
  let inflated = 0;
  let tooLarge = false;
  try {
    files = unzipSync(body, {
      filter: (file) => {
        if (!docxParts.test(file.name)) return false;
        inflated += file.originalSize;
        if (inflated > maxDocxXmlBytes) tooLarge = true;
        return !tooLarge;
      },
    });
  } catch {
    return { unreadable: "Word文件已损坏，无法读取文字，未经筛查" };
  }
  if (tooLarge) return { unreadable: "Word文件内容过大，无法读取文字，未经筛查" };
  if (!files["word/document.xml"]) return { unreadable: "Word文件已损坏，无法读取文字，未经筛查" };
  const names = Object.keys(files).sort((a, b) => partRank(a) - partRank(b) || a.localeCompare(b, "en", { numeric: true }));
  const texts: string[] = [];
  for (const partName of names) {
    const text = wordXmlText(strFromU8(files[partName]!));
    if (text.trim().length > 0) texts.push(text);
  }
  return { text: texts.join("\n") };
}

const xmlEntities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return xmlEntities[ref] ?? whole;
  });
}

/**
 * Text of a WordprocessingML part: runs' <w:t> (and <w:delText>: tracked deletions are
 * still in the file), <w:tab/> as a tab, <w:br/>/<w:cr/> as a line break, one line per
 * paragraph. Field codes (<w:instrText>) are left out: their result is in <w:t>.
 * Tab stops in paragraph properties carry attributes and are not tabs of the text.
 */
const wordXmlToken = /<w:(t|delText)(?:\s[^>]*)?>([^<]*)<\/w:\1>|<w:tab\s*\/>|<w:(?:br|cr)\b[^>]*\/>|<\/w:p>|<w:p(?:\s[^>]*)?\/>/g;

function wordXmlText(xml: string): string {
  let out = "";
  for (const m of xml.matchAll(wordXmlToken)) {
    const token = m[0];
    if (m[1] !== undefined) out += decodeEntities(m[2]!);
    else if (token.startsWith("<w:tab")) out += "\t";
    else out += "\n";
  }
  return out.replace(/\n+$/, "");
}
