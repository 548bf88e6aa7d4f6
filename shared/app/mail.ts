import type { Store } from "./ports/store";
import type { OutboxMessage } from "./ports/outbox";
import type { Role } from "../domain/roles";

export interface MailAttachment {
  /** files bucket key */
  key: string;
  filename: string;
  contentType: string;
}

export interface MailBody {
  to: string[];
  subject: string;
  text: string;
  attachments?: MailAttachment[];
  /** for logs and the idempotency record: never personal data */
  caseId?: string;
  taskId?: string;
}

/** Addresses of the agency's active users holding one of `roles`. */
export async function addressesOf(store: Store, agencyCode: string, roles: readonly Role[]): Promise<string[]> {
  const users = await store.directory.users(agencyCode);
  return [...new Set(users.filter((u) => u.email && u.roles.some((r) => roles.includes(r))).map((u) => u.email))];
}

/** A mail for every active user of the agency holding one of `roles`; none when nobody does. */
export async function mailToRoles(store: Store, agencyCode: string, roles: readonly Role[], content: Omit<MailBody, "to">): Promise<OutboxMessage[]> {
  const to = await addressesOf(store, agencyCode, roles);
  return to.length === 0 ? [] : [mailMessage({ ...content, to })];
}

export function mailMessage(body: MailBody): OutboxMessage {
  return { kind: "queue", queue: "mail", body: { type: "mail.send", ...body } };
}
