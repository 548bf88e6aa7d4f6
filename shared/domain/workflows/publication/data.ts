import type { IsoDate } from "../../calendar";
import type { Finding, ScreeningReport } from "../../screening/types";
import type { SecrecyReview } from "../secrecy";

/** An information item for the website and/or WeChat (SPEC §3.2, seed 政务信息公开发布及审核制度). */

export type Channel = "website" | "wechat";
export const channelLabels: Record<Channel, string> = { website: "门户网站", wechat: "微信公众号" };

export interface StoredFile {
  key: string;
  name: string;
  contentType: string;
  bytes: number;
}

/** One submitted version; a returned item is revised into the next one, and every version is kept. */
export interface ContentVersion {
  n: number;
  title: string;
  /** sanitized HTML */
  bodyHtml: string;
  /** plain text of the body (what screening and search read) */
  text: string;
  attachments: StoredFile[];
  images: StoredFile[];
  at: string;
  byName: string;
  screening: ScreeningReport;
}

/** A finding a reviewer let through with a written reason. */
export interface FindingOverride {
  findingId: string;
  version: number;
  reason: string;
  byName: string;
  role: string;
  at: string;
}

/** A passage a reviewer removed (■) before publication. */
export interface Redaction {
  version: number;
  passage: string;
  reason: string;
  byName: string;
  at: string;
}

export interface PublicationData {
  submitter: { username: string; displayName: string; email?: string; section?: string };
  channels: Channel[];
  column: string;
  important: boolean;
  versions: ContentVersion[];
  overrides: FindingOverride[];
  redactions: Redaction[];
  /** 退回修改 notes, in order */
  returns: Array<{ version: number; note: string; byName: string; role: string; at: string }>;
  rejection?: { reason: string; byName: string; role: string; at: string };
  secrecy?: SecrecyReview;
  /** once published */
  published?: { indexNumber: string; at: string; on: IsoDate; wechat?: { mediaId: string; publishId: string } };
}

export const latest = (d: { versions: ContentVersion[] }): ContentVersion => d.versions[d.versions.length - 1]!;

/** Findings of the latest version neither redacted nor overridden, and attachments nobody could read. */
export function openFindings(d: { versions: ContentVersion[]; overrides: FindingOverride[] }): { findings: Finding[]; unscreened: ScreeningReport["unscreened"] } {
  const v = latest(d);
  const overridden = new Set(d.overrides.filter((o) => o.version === v.n).map((o) => o.findingId));
  // a redaction puts as many ■ in place of the passage, so the finding's offsets now hold only ■
  const redacted = (f: Finding) => (f.source === "body" || f.source === "title") && [...(f.source === "body" ? v.text : v.title).slice(f.start, f.end)].every((ch) => ch === "■");
  return {
    findings: v.screening.findings.filter((f) => !overridden.has(f.id) && !redacted(f)),
    unscreened: v.screening.unscreened.filter((u) => !overridden.has(`unscreened:${u.source}`)),
  };
}
