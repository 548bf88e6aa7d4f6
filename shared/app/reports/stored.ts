import type { AppDeps } from "../deps";
import { ConcurrentChangeError } from "../errors";
import { mailToRoles } from "../mail";
import type { OutboxRecord } from "../../adapters/aws/outbox";
import type { Role } from "../../domain/roles";

/**
 * The scheduled reports' copies (SPEC §5; issue: every report stored, listed in the console
 * and downloadable): each run stores its period's files under `reports/<kind>/<agency>/<period>.<ext>`
 * and mails them, once per agency and period — the claim and the mails are one commit, so a
 * rerun (a retried schedule, a message delivered twice) stores the same keys again and sends
 * nothing twice.
 */

export const storedReportKinds = {
  weekly: { label: "办理风险周报", period: /^\d{4}-\d{2}-\d{2}$/ },
  monthly: { label: "月度信息发布情况", period: /^\d{4}-\d{2}$/ },
  annual: { label: "政府信息公开工作年度报告（自动生成稿）", period: /^\d{4}$/ },
} as const;
export type StoredReportKind = keyof typeof storedReportKinds;

export const fileTypes = {
  html: { contentType: "text/html; charset=utf-8", label: "打印版（HTML）" },
  json: { contentType: "application/json; charset=utf-8", label: "JSON" },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "Excel（.xlsx）" },
} as const;
export type StoredFileType = keyof typeof fileTypes;

export const storedReportPrefix = (kind: StoredReportKind, agencyCode: string) => `reports/${kind}/${agencyCode}/`;
export const storedReportKey = (kind: StoredReportKind, agencyCode: string, period: string, type: StoredFileType) => `${storedReportPrefix(kind, agencyCode)}${period}.${type}`;

export interface StoredReportRun {
  kind: StoredReportKind;
  agencyCode: string;
  period: string;
  /** the report's files and its mail, computed only when this period's copy was not made yet */
  prepare: () => Promise<{
    files: Partial<Record<StoredFileType, string | Uint8Array>>;
    mail: { roles: readonly Role[]; subject: string; text: string; attach: StoredFileType; filename: string };
  }>;
}

export interface StoredReportResult {
  kind: StoredReportKind;
  agencyCode: string;
  period: string;
  /** false: this period's copy was already stored and sent (or a concurrent run did it) */
  sent: boolean;
  recipients: number;
}

export async function storeAndMail(deps: AppDeps, run: StoredReportRun, now = deps.clock.now()): Promise<StoredReportResult> {
  const { kind, agencyCode, period } = run;
  const claim = `${kind}#${agencyCode}#${period}`;
  const none = { kind, agencyCode, period, sent: false, recipients: 0 };
  if (await deps.store.claims.get(claim)) return none;

  const { files, mail: letter } = await run.prepare();
  // stored before the claim: a run that fails after this stores the same keys again on its retry
  for (const [type, body] of Object.entries(files) as Array<[StoredFileType, string | Uint8Array]>) {
    await deps.files.put(storedReportKey(kind, agencyCode, period, type), body, fileTypes[type].contentType);
  }
  const mail = await mailToRoles(deps.store, agencyCode, letter.roles, {
    subject: letter.subject,
    text: letter.text,
    attachments: [{ key: storedReportKey(kind, agencyCode, period, letter.attach), filename: letter.filename, contentType: fileTypes[letter.attach].contentType }],
  });
  const at = now.toISOString();
  const records: OutboxRecord[] = mail.map((message) => ({ messageId: deps.newId(), createdAt: at, message }));
  try {
    await deps.store.commit([{ kind: "claim", key: claim, value: { at, kind, period } }, ...records.map((record) => ({ kind: "outbox" as const, record }))]);
  } catch (error) {
    if (error instanceof ConcurrentChangeError) return none;
    throw error;
  }
  await deps.outbox.dispatch(records);
  const recipients = mail.reduce((n, m) => n + (m.kind === "queue" && Array.isArray(m.body.to) ? m.body.to.length : 0), 0);
  return { kind, agencyCode, period, sent: true, recipients };
}

/** The same period's copy for every agency, one after another (a failure leaves the rest to the schedule's retry). */
export async function storeAndMailEach(
  deps: AppDeps,
  kind: StoredReportKind,
  period: string,
  prepare: (agencyCode: string) => ReturnType<StoredReportRun["prepare"]>,
  now = deps.clock.now(),
): Promise<StoredReportResult[]> {
  const out: StoredReportResult[] = [];
  for (const a of await deps.store.directory.agencies()) out.push(await storeAndMail(deps, { kind, agencyCode: a.code, period, prepare: () => prepare(a.code) }, now));
  return out;
}

export interface StoredReportListing {
  kind: StoredReportKind;
  label: string;
  period: string;
  types: StoredFileType[];
}

/** An agency's stored copies of every kind, newest period first within each kind. */
export async function storedReports(deps: AppDeps, agencyCode: string): Promise<StoredReportListing[]> {
  const out: StoredReportListing[] = [];
  for (const kind of Object.keys(storedReportKinds) as StoredReportKind[]) {
    const prefix = storedReportPrefix(kind, agencyCode);
    const byPeriod = new Map<string, StoredFileType[]>();
    for (const key of await deps.files.list(prefix)) {
      const m = /^([^/]+)\.(html|json|xlsx)$/.exec(key.slice(prefix.length));
      if (!m || !storedReportKinds[kind].period.test(m[1]!)) continue;
      byPeriod.set(m[1]!, [...(byPeriod.get(m[1]!) ?? []), m[2] as StoredFileType]);
    }
    for (const [period, types] of [...byPeriod].sort((a, b) => b[0].localeCompare(a[0]))) {
      out.push({ kind, label: storedReportKinds[kind].label, period, types: types.sort() });
    }
  }
  return out;
}
