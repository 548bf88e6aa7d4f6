import type { AppDeps } from "../deps";
import { ConcurrentChangeError, ConflictError, NotFoundError, ValidationError, type FieldError } from "../errors";
import { onStepOpened } from "../engine/step";
import { onOutcomePrepared } from "../engine/complete-task";
import { runOutcome } from "../engine/run-outcome";
import { readContent, screeningSettingsOf, storeVersion } from "./submit";
import { attachmentText } from "../screening/attachment-text";
import { screen } from "../../domain/screening";
import { formatIndexNumber } from "../../domain/catalogue/entry";
import { shanghaiDate } from "../../domain/calendar";
import type { CaseRecord, TaskRecord } from "../../domain/records";
import { catalogueColumnCodes } from "../../domain/catalogue/columns";
import { latest, openFindings, type ContentVersion, type PublicationData } from "../../domain/workflows/publication/data";
import type { DocumentData } from "../../domain/workflows/document/definition";
import type { CatalogueChangeData } from "../../domain/workflows/catalogue-change/definition";
import { logger } from "../../adapters/logger";

/**
 * Publishing: what the engine's pure transitions cannot do themselves — take an index
 * number (a per-agency, per-year counter: unique, never reused; a number lost to a crash
 * is a harmless gap), post to WeChat, screen once more with the word lists as they are
 * today, read the catalogue entry as it stands. Each runs before its outcome and hands
 * the result to it as `extra`.
 */

const SYSTEM = { kind: "system" as const, displayName: "系统" };

export async function takeIndexNumber(deps: AppDeps, agencyCode: string): Promise<{ indexNumber: string; year: number; sequence: number }> {
  const year = Number(shanghaiDate(deps.clock.now()).slice(0, 4));
  const sequence = await deps.store.counters.next(agencyCode, `CATALOGUE#${year}`);
  return { indexNumber: formatIndexNumber(agencyCode, year, sequence), year, sequence };
}

async function publisherOf(deps: AppDeps, agencyCode: string): Promise<string> {
  return (await deps.store.directory.agency(agencyCode))?.name ?? agencyCode;
}

/** The latest version screened again with the agency's word lists as they are now. */
async function rescreen(deps: AppDeps, c: CaseRecord<PublicationData>): Promise<ContentVersion> {
  const v = latest(c.data);
  const agency = await deps.store.directory.agency(c.agencyCode);
  const files = await Promise.all(
    v.attachments.map(async (f) => {
      const stored = await deps.files.get(f.key);
      const read = stored ? attachmentText(f.name, f.contentType, stored.body) : { unreadable: "附件文件缺失" };
      return "text" in read ? { source: `attachment:${f.name}`, text: read.text } : { source: `attachment:${f.name}`, unreadable: read.unreadable };
    }),
  );
  const screening = screen([{ source: "title", text: v.title }, { source: "body", text: v.text }, ...files], agency ? screeningSettingsOf(agency) : { wordLists: {}, flagIndividualCreditCodes: true });
  return { ...v, screening };
}

/** WeChat: one draft and one publication per case, remembered in a claim so a retry reuses them. */
async function postToWechat(deps: AppDeps, c: CaseRecord<PublicationData>): Promise<{ mediaId: string; publishId: string }> {
  const key = `wechat#${c.caseId}`;
  const done = await deps.store.claims.get(key);
  if (done && typeof done.publishId === "string" && typeof done.mediaId === "string") return { mediaId: done.mediaId, publishId: done.publishId };
  const v = latest(c.data);
  const { mediaId } = await deps.wechat.addDraft(c.agencyCode, {
    title: v.title,
    author: c.data.submitter.section ?? (await publisherOf(deps, c.agencyCode)),
    digest: v.text.slice(0, 120),
    content: v.bodyHtml,
    contentSourceUrl: `${deps.config.publicBaseUrl}/catalogue`,
  });
  const { publishId } = await deps.wechat.publish(c.agencyCode, mediaId);
  try {
    await deps.store.commit([{ kind: "claim", key, value: { mediaId, publishId } }]);
  } catch (error) {
    if (!(error instanceof ConcurrentChangeError)) throw error;
  }
  return { mediaId, publishId };
}

/** The publish step's Lambda: screen again, then publish to the chosen channels (or send it back to the office). */
export async function publishItem(deps: AppDeps, c: CaseRecord, task: TaskRecord): Promise<void> {
  if (task.status !== "open" || c.status !== "publishing") return;
  const item = c as unknown as CaseRecord<PublicationData>;
  const version = await rescreen(deps, item);
  const open = openFindings({ ...item.data, versions: [...item.data.versions.slice(0, -1), version] });
  const found = open.findings.length + open.unscreened.length;
  try {
    if (found > 0) {
      await runOutcome(deps, {
        task,
        outcome: "blocked",
        input: { note: `发布前复查发现 ${found} 处需处理（${open.findings.map((f) => `${f.label}「${f.passage}」`).slice(0, 3).join("、")}），请复核` },
        extra: { version },
        actor: SYSTEM,
      });
      logger.info("publication blocked by screening", { agencyCode: c.agencyCode, caseId: c.caseId, found });
      return;
    }
    const wechat = item.data.channels.includes("wechat") ? await postToWechat(deps, item) : undefined;
    const number = await takeIndexNumber(deps, c.agencyCode);
    await runOutcome(deps, { task, outcome: "published", input: {}, extra: { ...number, publisher: await publisherOf(deps, c.agencyCode), ...(wechat ? { wechat } : {}) }, actor: SYSTEM });
    logger.info("publication published", { agencyCode: c.agencyCode, caseId: c.caseId, indexNumber: number.indexNumber });
  } catch (error) {
    // another delivery of the hand-off published it first
    if (error instanceof ConflictError || error instanceof ConcurrentChangeError) return;
    throw error;
  }
}

onStepOpened("publication", "publish", publishItem);

// a revised item: its new version sanitized, screened and its files stored before the engine sees it
onOutcomePrepared("publication", "revise", "resubmit", async (deps, task, input) => {
  const errors: FieldError[] = [];
  const content = await readContent(input, errors);
  if (errors.length || !content.title || !content.bodyHtml) throw new ValidationError("VALIDATION_FAILED", "提交的内容有误，请按提示修改", errors);
  const c = (await deps.store.cases.get(task.caseId)) as CaseRecord<PublicationData> | undefined;
  if (!c) throw new NotFoundError("未找到该案件");
  const agency = await deps.store.directory.agency(c.agencyCode);
  const n = latest(c.data).n + 1;
  const version = await storeVersion(deps, c.caseId, n, { title: content.title, bodyHtml: content.bodyHtml, attachments: content.attachments, images: content.images }, c.data.submitter.displayName, agency ? screeningSettingsOf(agency) : { wordLists: {}, flagIndividualCreditCodes: true });
  return { version };
});

// a proactive document: its index number taken when the office publishes it
onOutcomePrepared("document", "publish_document", "published", async (deps, task, input) => {
  const c = (await deps.store.cases.get(task.caseId)) as CaseRecord<DocumentData> | undefined;
  if (!c) throw new NotFoundError("未找到该案件");
  const wanted = typeof input.column === "string" && (catalogueColumnCodes as readonly string[]).includes(input.column) ? input.column : c.data.column;
  return { ...(await takeIndexNumber(deps, c.agencyCode)), publisher: await publisherOf(deps, c.agencyCode), column: wanted };
});

// a correction or withdrawal: the entry as it stands now, archived before it changes
onOutcomePrepared("catalogue_change", "approve_change", "approve", async (deps, task) => {
  const c = (await deps.store.cases.get(task.caseId)) as CaseRecord<CatalogueChangeData> | undefined;
  if (!c) throw new NotFoundError("未找到该案件");
  const current = await deps.store.catalogue.get(c.agencyCode, c.data.indexNumber);
  if (!current) throw new NotFoundError("目录中已没有该信息");
  await deps.files.put(`catalogue-archive/${c.agencyCode}/${current.indexNumber.replace("/", "_")}/r${current.revision}.json`, JSON.stringify(current), "application/json");
  return { current };
});
