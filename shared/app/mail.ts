import type { Table } from "../adapters/aws/table";
import { listUsers } from "../adapters/aws/records";
import type { OutboxMessage } from "../adapters/aws/outbox";
import type { Role } from "../domain/roles";

export interface MailBody {
  to: string[];
  subject: string;
  text: string;
  /** for logs and the idempotency record: never personal data */
  caseId?: string;
  taskId?: string;
}

/** A mail for every active user of the agency holding one of `roles`; none when nobody does. */
export async function mailToRoles(
  table: Table,
  agencyCode: string,
  roles: Role[],
  content: Omit<MailBody, "to">,
): Promise<OutboxMessage[]> {
  const users = await listUsers(table, agencyCode);
  const to = [...new Set(users.filter((u) => u.email && u.roles.some((r) => roles.includes(r))).map((u) => u.email))];
  if (to.length === 0) return [];
  return [mailMessage({ ...content, to })];
}

export function mailMessage(body: MailBody): OutboxMessage {
  return { kind: "queue", queue: "mail", body: { type: "mail.send", ...body } };
}
