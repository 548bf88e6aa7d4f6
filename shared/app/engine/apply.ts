import type { AppDeps } from "../deps";
import type { Write } from "../ports/store";
import type { OutboxMessage } from "../ports/outbox";
import { commitChange } from "./commit";
import { issueLetters, DOCX_TYPE } from "../letters/issue";
import { addressesOf, mailMessage } from "../mail";
import type { CaseRecord, LetterRecord } from "../../domain/records";
import type { Decision, NewEvent } from "../../domain/workflows/engine";
import type { LetterOrder, Notice } from "../../domain/workflows";
import { workflowDefinition } from "../../domain/workflows";

/**
 * Stores any decision of the engine: letters rendered and filed first, then the
 * case, its audit event, the tasks closed and opened, and every message (timers,
 * hand-offs, mail with the letters attached) in ONE transaction.
 */
export async function applyDecision(
  deps: AppDeps,
  decision: Decision,
  opts: { expectedVersion?: number; events?: NewEvent[]; extra?: Write[] } = {},
): Promise<CaseRecord> {
  const definition = workflowDefinition(decision.case.workflow);
  const applicant = definition.applicant(decision.case as never);
  const recipientOf = (order: LetterOrder) =>
    order.to.kind === "party" ? { name: order.to.name, ...(order.to.address ? { address: order.to.address } : {}) } : { name: applicant.name, ...(applicant.address ? { address: applicant.address } : {}) };
  const letters = await issueLetters(deps, decision.case, decision.letters, recipientOf);
  const next: CaseRecord = { ...decision.case, letters: [...decision.case.letters, ...letters] };

  const mails: OutboxMessage[] = [];
  for (const notice of decision.notices) mails.push(...(await noticeMails(deps, next, notice, letters)));
  // letters to someone outside with an email address go to them too
  decision.letters.forEach((order, i) => {
    if (order.email && order.to.kind === "party" && order.to.email && letters[i]) {
      mails.push(
        mailMessage({
          to: [order.to.email],
          subject: `${letters[i].title}（${letters[i].number}）`,
          text: `${order.to.name}：\n附件为${letters[i].title}（${letters[i].number}），请查收并按函中所列期限书面答复。`,
          attachments: [attachmentOf(letters[i])],
          caseId: next.caseId,
        }),
      );
    }
  });

  return commitChange(deps, {
    case: next,
    ...(opts.expectedVersion === undefined ? {} : { expectedVersion: opts.expectedVersion }),
    events: [...(opts.events ?? []), ...decision.events],
    tasks: [...decision.closed, ...decision.opened.map((task) => ({ task }))],
    outbox: [...decision.messages, ...mails],
    extra: [...(opts.extra ?? []), ...(decision.catalogue ? [{ kind: "catalogue" as const, ...decision.catalogue }] : [])],
  });
}

function attachmentOf(letter: LetterRecord) {
  return { key: letter.files.docx, filename: `${letter.title}（${letter.number}）.docx`, contentType: DOCX_TYPE };
}

async function noticeMails(deps: AppDeps, c: CaseRecord, notice: Notice, letters: LetterRecord[]): Promise<OutboxMessage[]> {
  const attachments = (notice.attach ?? []).flatMap((kind) => letters.filter((l) => l.kind === kind).map(attachmentOf));
  const body = { subject: notice.subject, text: notice.text, caseId: c.caseId, ...(attachments.length ? { attachments } : {}) };
  switch (notice.to.kind) {
    case "applicant": {
      const email = workflowDefinition(c.workflow).applicant(c as never).email;
      return email ? [mailMessage({ ...body, to: [email] })] : [];
    }
    case "party":
      return notice.to.email ? [mailMessage({ ...body, to: [notice.to.email] })] : [];
    case "roles": {
      const to = await addressesOf(deps.store, c.agencyCode, notice.to.roles);
      return to.length ? [mailMessage({ ...body, text: `${body.text}\n办理地址：${deps.config.publicBaseUrl}/console/cases/${c.caseId}`, to })] : [];
    }
  }
}
