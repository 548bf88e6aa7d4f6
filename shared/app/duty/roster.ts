import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConcurrentChangeError, ValidationError } from "../errors";
import { mailMessage } from "../mail";
import type { OutboxRecord } from "../ports/outbox";
import { weekdayZh } from "../../domain/calendar";
import { checkRoster, type DutyRoster } from "../../domain/workflows/duty/roster";
import { objectBody, roleAmong } from "./common";

/**
 * The monthly duty roster, drawn up in the console by the office or the leadership group
 * and mailed to everyone on it. Each revision is kept (`<month>.r<n>.json`) beside the
 * roster in force (`<month>.json`), so what was announced stays on record.
 */

export const ROSTER_EDITORS = ["office_staff", "office_director", "leadership_group", "deputy_leader"] as const;
export const rosterKey = (agencyCode: string, month: string, revision?: number) => `duty/rosters/${agencyCode}/${month}${revision ? `.r${revision}` : ""}.json`;

export async function loadRoster(deps: AppDeps, agencyCode: string, month: string): Promise<DutyRoster | undefined> {
  const stored = await deps.files.get(rosterKey(agencyCode, month));
  return stored ? (JSON.parse(Buffer.from(stored.body).toString("utf8")) as DutyRoster) : undefined;
}

export function rosterText(r: DutyRoster): string {
  return r.days.map((d) => `${d.date}（${weekdayZh(d.date)}）值守：${d.officer.displayName}，带班领导：${d.leader.displayName}`).join("\n");
}

/** POST /api/v1/duty/rosters {month, days: [{date, officer, leader}]} (usernames). */
export async function saveRoster(deps: AppDeps, principal: StaffPrincipal, body: unknown): Promise<DutyRoster> {
  roleAmong(principal, ROSTER_EDITORS);
  const b = objectBody(body);
  const [calendar, users] = await Promise.all([deps.calendar(), deps.store.directory.users(principal.agencyCode)]);
  const { days, errors } = checkRoster(calendar, b.month, b.days, users.filter((u) => !u.disabled));
  if (errors.length) throw new ValidationError("VALIDATION_FAILED", "值班表有误，请按提示修改", errors);
  const month = b.month as string;
  const previous = await loadRoster(deps, principal.agencyCode, month);
  const now = deps.clock.now();
  const roster: DutyRoster = {
    agencyCode: principal.agencyCode,
    month,
    days,
    revision: (previous?.revision ?? 0) + 1,
    drawnUpBy: { username: principal.username, displayName: principal.displayName },
    drawnUpAt: now.toISOString(),
  };
  const json = JSON.stringify(roster, null, 2);
  await deps.files.put(rosterKey(principal.agencyCode, month, roster.revision), json, "application/json; charset=utf-8");
  await deps.files.put(rosterKey(principal.agencyCode, month), json, "application/json; charset=utf-8");

  const named = new Set(days.flatMap((d) => [d.officer.username, d.leader.username]));
  const to = [...new Set(users.filter((u) => named.has(u.username) && u.email && !u.disabled).map((u) => u.email))];
  const mail = to.length
    ? [
        mailMessage({
          to,
          subject: `【值班表】${month} 政务公开值班值守安排${roster.revision > 1 ? `（第 ${roster.revision} 版）` : ""}`,
          text: `${principal.agencyName} ${month} 值班值守安排如下（${principal.displayName}编排）：\n${rosterText(roster)}\n\n值守人员当天须按时检查网站和新媒体、审核新发布信息、处理新媒体问答并填写值守记录。\n详见：${deps.config.publicBaseUrl}/console/duty/roster?month=${month}`,
        }),
      ]
    : [];
  const records: OutboxRecord[] = mail.map((message) => ({ messageId: deps.newId(), createdAt: now.toISOString(), message }));
  try {
    // one announcement per revision, however often a retry stores it
    await deps.store.commit([{ kind: "claim", key: `roster#${principal.agencyCode}#${month}#${roster.revision}`, value: { at: now.toISOString() } }, ...records.map((record) => ({ kind: "outbox" as const, record }))]);
    await deps.outbox.dispatch(records);
  } catch (error) {
    if (!(error instanceof ConcurrentChangeError)) throw error;
  }
  return roster;
}
