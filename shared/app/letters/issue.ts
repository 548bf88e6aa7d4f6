import type { AppDeps } from "../deps";
import type { CaseRecord, LetterRecord, AgencyRecord } from "../../domain/records";
import type { LetterOrder } from "../../domain/workflows";
import type { LetterContext, LetterData } from "../../domain/letters/types";
import type { LetterKind } from "../../domain/letters/kinds";
import { composeLetter } from "../../domain/letters/compose";
import { shanghaiDate } from "../../domain/calendar";
import type { ApplicationData } from "../../domain/workflows/application/data";
import { deliveryFormLabels, deliveryWayLabels } from "../../schemas/application";
import { renderLetterHtml } from "../../ui/letters/html";
import { renderLetterDocx } from "../../ui/letters/docx";

/** Files of a letter in the files bucket: the printable page and the .docx. */
export function letterKeys(caseId: string, letterId: string) {
  return { html: `letters/${caseId}/${letterId}.html`, docx: `letters/${caseId}/${letterId}.docx` };
}

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** e.g. 黄行服依复〔2026〕3号; numbered per agency and year. */
export function letterNumber(agency: AgencyRecord, year: number, n: number): string {
  return `${agency.letterPrefix ?? agency.name}〔${year}〕${n}号`;
}

function applicationFacts(c: CaseRecord): LetterContext["application"] {
  const d = c.data as ApplicationData;
  const a = d.application;
  return {
    trackingNumber: d.trackingNumber,
    applicantName: a.name,
    submittedOn: d.submittedOn,
    ...(d.receivedOn ? { receivedOn: d.receivedOn } : {}),
    description: a.description,
    ...(a.documentTitle ? { documentTitle: a.documentTitle } : {}),
    ...(a.documentNumber ? { documentNumber: a.documentNumber } : {}),
    deliveryForm: deliveryFormLabels[a.deliveryForm],
    deliveryWay: deliveryWayLabels[a.deliveryWay],
  };
}

/**
 * Numbers, renders (HTML and .docx) and stores each letter a decision issues, before
 * the decision is committed: a letter stored for a commit that then fails is an
 * orphan file nobody links to, never a missing one.
 */
export async function issueLetters(
  deps: Pick<AppDeps, "store" | "files" | "clock">,
  c: CaseRecord,
  orders: Array<LetterOrder & { letterId: string }>,
  recipient: (order: LetterOrder) => { name: string; address?: string },
): Promise<LetterRecord[]> {
  if (orders.length === 0) return [];
  const agency = (await deps.store.directory.agency(c.agencyCode)) ?? { code: c.agencyCode, name: c.agencyCode };
  const now = deps.clock.now();
  const issuedOn = shanghaiDate(now);
  const year = Number(issuedOn.slice(0, 4));
  const out: LetterRecord[] = [];
  for (const order of orders) {
    const number = letterNumber(agency, year, await deps.store.counters.next(agency.code, `LETTER#${year}`));
    const to = recipient(order);
    const ctx: LetterContext = {
      agency: {
        name: agency.name,
        code: agency.code,
        letterhead: agency.letterhead ?? agency.name,
        ...(agency.officeContact ? { officeContact: agency.officeContact } : {}),
        ...(agency.officeAddress ? { officeAddress: agency.officeAddress } : {}),
        reviewAuthority: agency.reviewAuthority ?? "本级人民政府",
        ...(agency.court ? { court: agency.court } : {}),
      },
      number,
      issuedOn,
      recipient: to,
      application: applicationFacts(c),
    };
    const doc = composeLetter(order.kind, ctx, order.data as LetterData[LetterKind] as never);
    const keys = letterKeys(c.caseId, order.letterId);
    await deps.files.put(keys.html, renderLetterHtml(doc), "text/html; charset=utf-8");
    await deps.files.put(keys.docx, await renderLetterDocx(doc), DOCX_TYPE);
    out.push({
      letterId: order.letterId,
      kind: order.kind,
      title: doc.title,
      number,
      issuedAt: now.toISOString(),
      issuedOn,
      to: order.to.kind === "applicant" ? "applicant" : order.to.kind === "party" ? "party" : "staff",
      recipientName: to.name,
      files: keys,
    });
  }
  return out;
}
