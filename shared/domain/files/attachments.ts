import type { FieldError } from "../../schemas/errors";
import { withoutTextProblems } from "../text";

/**
 * Attachments an applicant may send (an ID copy, a power of attorney): the type is
 * decided by the file's content, never by its name or declared type.
 */
export const attachmentLimits = { maxFiles: 3, maxBytesEach: 1_500_000, maxBytesTotal: 3_000_000 } as const;

const signatures: Array<{ type: string; extension: string; label: string; magic: number[] }> = [
  { type: "application/pdf", extension: "pdf", label: "PDF", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: "image/jpeg", extension: "jpg", label: "JPEG", magic: [0xff, 0xd8, 0xff] },
  { type: "image/png", extension: "png", label: "PNG", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

export const acceptedAttachmentTypes = signatures.map((s) => s.label).join("、");

export function sniffType(bytes: Uint8Array): { type: string; extension: string } | undefined {
  const s = signatures.find((sig) => sig.magic.every((b, i) => bytes[i] === b));
  return s ? { type: s.type, extension: s.extension } : undefined;
}

export interface IncomingAttachment {
  name: string;
  bytes: Uint8Array;
}

export interface CheckedAttachment {
  name: string;
  bytes: Uint8Array;
  contentType: string;
  extension: string;
}

/** A file name safe to show and to use in a key: no path, no control characters, at most 100 characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = withoutTextProblems(base).replace(/[<>:"|?*]/g, "").trim();
  // by code points, so a character outside the BMP is never cut in half
  return [...(clean || "附件")].slice(-100).join("");
}

export function checkAttachments(files: IncomingAttachment[], path = "attachments"): { files: CheckedAttachment[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out: CheckedAttachment[] = [];
  if (files.length > attachmentLimits.maxFiles) {
    errors.push({ path, code: "too_many", message: `附件最多 ${attachmentLimits.maxFiles} 个` });
    return { files: [], errors };
  }
  let total = 0;
  files.forEach((f, i) => {
    const at = `${path}.${i}`;
    const name = safeFileName(f.name);
    total += f.bytes.byteLength;
    if (f.bytes.byteLength === 0) errors.push({ path: at, code: "empty", message: `附件“${name}”是空文件` });
    else if (f.bytes.byteLength > attachmentLimits.maxBytesEach) {
      errors.push({ path: at, code: "too_large", message: `附件“${name}”超过 ${attachmentLimits.maxBytesEach / 1_000_000} MB` });
    } else {
      const sniffed = sniffType(f.bytes);
      if (!sniffed) errors.push({ path: at, code: "unsupported_type", message: `附件“${name}”的格式不受支持，只接受 ${acceptedAttachmentTypes} 文件（按文件内容判断）` });
      else out.push({ name, bytes: f.bytes, contentType: sniffed.type, extension: sniffed.extension });
    }
  });
  if (total > attachmentLimits.maxBytesTotal) errors.push({ path, code: "too_large", message: `附件合计不能超过 ${attachmentLimits.maxBytesTotal / 1_000_000} MB` });
  return { files: errors.length ? [] : out, errors };
}
