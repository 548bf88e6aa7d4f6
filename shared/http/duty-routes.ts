/**
 * Duty watch, incidents, leadership votes and security inspections: the staff API
 * (SPEC §7.4 votes; the rest documented in OpenAPI) and the console's 值班值守 pages.
 * Handlers parse, call one use case and map the result. Mounted by the staff-console
 * function (`/console/{proxy+}` and the manifest's `/api/v1/...` paths).
 */
import type { AppDeps } from "../app/deps";
import { ValidationError } from "../app/errors";
import { callVote, castBallot, getVote, VOTE_CALLERS, voteView } from "../app/duty/votes";
import { loadRoster, ROSTER_EDITORS, saveRoster } from "../app/duty/roster";
import { annotateDutyDay, ANNOTATORS, dutyCaseOn } from "../app/duty/days";
import { INCIDENT_REPORTERS, reportIncident } from "../app/duty/incidents";
import { startInspection } from "../app/duty/inspections";
import { dutySummaryFor, SUMMARY_READERS } from "../app/duty/summary";
import { caseOf } from "../app/duty/common";
import { dutySettings, saveDutySettings } from "../app/duty/settings";
import { shanghaiDate } from "../domain/calendar";
import { DUTY_LEADER_ROLES, MONTH, workingDaysOf, type RosterDay } from "../domain/workflows/duty/roster";
import type { DutyDayData } from "../domain/workflows/duty/day";
import type { IncidentData } from "../domain/workflows/duty/incident";
import type { InspectionData } from "../domain/workflows/duty/inspection";
import type { VoteData } from "../domain/workflows/duty/vote";
import type { CaseRecord } from "../domain/records";
import type { Role } from "../domain/roles";
import type { FieldError } from "../schemas/errors";
import { DUTY_PATH, renderDutyDayPage, renderDutyHome, renderDutySummaryPage, renderIncidentForm, renderRosterPage, renderVotePage } from "../ui/console/duty";
import { DUTY_NAV_ROLES } from "../ui/console/layout";
import { html, json, readForm, readJson, redirect, type Route } from "./http";
import { consolePage, consoleUser } from "./console-page";
import { checkCsrf, requireRole, requireStaff, type StaffRequest } from "./staff-auth";

const holds = (staff: StaffRequest, roles: readonly Role[]) => staff.principal.roles.some((r) => roles.includes(r));
const DUTY_VIEWERS: Role[] = [...DUTY_NAV_ROLES, "deputy_leader", "principal_leader", "office_director", "office_staff", "auditor"];

export function dutyApiRoutes(getDeps: () => AppDeps): Route[] {
  const staffCall = (run: (staff: StaffRequest, deps: AppDeps, req: Parameters<NonNullable<Route["methods"]["GET"]>>[0]) => Promise<ReturnType<typeof json>>, write = true) => async (req: Parameters<NonNullable<Route["methods"]["GET"]>>[0]) => {
    const deps = getDeps();
    const staff = await requireStaff(deps, req);
    if (write) checkCsrf(staff, req);
    return run(staff, deps, req);
  };
  return [
    {
      path: "/api/v1/votes",
      methods: {
        POST: staffCall(async (staff, deps, req) => {
          const v = await callVote(deps, staff.principal, readJson(req));
          return json(201, v);
        }),
      },
    },
    { path: "/api/v1/votes/{voteId}", params: { voteId: { pattern: /^[0-9A-Z]{26}$/, maxLength: 26 } }, methods: { GET: staffCall(async (staff, deps, req) => json(200, await getVote(deps, staff.principal, req.params.voteId!)), false) } },
    {
      path: "/api/v1/votes/{voteId}/ballots",
      params: { voteId: { pattern: /^[0-9A-Z]{26}$/, maxLength: 26 } },
      methods: { POST: staffCall(async (staff, deps, req) => json(201, await castBallot(deps, staff.principal, req.params.voteId!, readJson(req)))) },
    },
    {
      path: "/api/v1/duty/rosters",
      methods: {
        POST: staffCall(async (staff, deps, req) => json(201, await saveRoster(deps, staff.principal, readJson(req)))),
        GET: staffCall(async (staff, deps, req) => {
          const month = req.query.get("month") ?? shanghaiDate(deps.clock.now()).slice(0, 7);
          if (!MONTH.test(month)) throw new ValidationError("VALIDATION_FAILED", "月份格式无效", [{ path: "month", code: "invalid_format", message: "月份应为 YYYY-MM 格式" }]);
          const roster = await loadRoster(deps, staff.principal.agencyCode, month);
          return json(200, roster ?? { agencyCode: staff.principal.agencyCode, month, days: [], revision: 0 });
        }, false),
      },
    },
    {
      path: "/api/v1/duty/days/{caseId}/annotations",
      methods: { POST: staffCall(async (staff, deps, req) => json(201, { caseId: (await annotateDutyDay(deps, staff.principal, req.params.caseId!, readJson(req))).caseId })) },
    },
    {
      path: "/api/v1/duty/summary",
      methods: {
        GET: staffCall(async (staff, deps, req) => {
          requireRole(staff, SUMMARY_READERS);
          return json(200, await dutySummaryFor(deps, staff.principal, req.query.get("month")));
        }, false),
      },
    },
    {
      path: "/api/v1/duty/settings",
      methods: {
        GET: staffCall(async (staff, deps) => json(200, await dutySettings(deps, staff.principal)), false),
        PUT: staffCall(async (staff, deps, req) => json(200, await saveDutySettings(deps, staff.principal, readJson(req)))),
      },
    },
    { path: "/api/v1/incidents", methods: { POST: staffCall(async (staff, deps, req) => json(201, await reportIncident(deps, staff.principal, readJson(req)))) } },
    {
      path: "/api/v1/inspections",
      methods: {
        POST: staffCall(async (staff, deps) => {
          const r = await startInspection(deps, staff.principal);
          return json(201, { caseId: r.caseId, items: r.items });
        }),
      },
    },
  ];
}

/** The roster form's rows: date.N, officer.N, leader.N. */
function rosterRows(form: Record<string, string>): Array<Partial<Record<keyof RosterDay, string>>> {
  const rows = [];
  for (let i = 0; form[`date.${i}`] !== undefined && i < 31; i++) rows.push({ date: form[`date.${i}`], officer: form[`officer.${i}`], leader: form[`leader.${i}`] });
  return rows as never;
}

export function dutyPageRoutes(getDeps: () => AppDeps): Route[] {
  const page = consolePage(getDeps);
  const ULID = { pattern: /^[0-9A-Z]{26}$/, maxLength: 26 };

  async function rosterPage(deps: AppDeps, staff: StaffRequest, month: string, extra: { values?: Record<string, string>; errors?: FieldError[]; saved?: boolean } = {}, status = 200) {
    const [calendar, users, roster] = await Promise.all([deps.calendar(), deps.store.directory.users(staff.principal.agencyCode), loadRoster(deps, staff.principal.agencyCode, month)]);
    const people = (roles: readonly Role[]) => users.filter((u) => !u.disabled && u.roles.some((r) => roles.includes(r))).map((u) => ({ username: u.username, displayName: u.displayName }));
    return html(
      status,
      renderRosterPage({
        user: consoleUser(staff),
        month,
        ...(roster ? { roster } : {}),
        workingDays: workingDaysOf(calendar, month),
        officers: people(["duty_officer"]),
        leaders: people(DUTY_LEADER_ROLES),
        mayEdit: holds(staff, ROSTER_EDITORS),
        ...extra,
      }),
    );
  }

  return [
    {
      path: DUTY_PATH,
      methods: {
        GET: page(async (_req, staff, deps) => {
          requireRole(staff, DUTY_VIEWERS);
          const agency = staff.principal.agencyCode;
          const today = shanghaiDate(deps.clock.now());
          const [day, roster, open] = await Promise.all([dutyCaseOn(deps, agency, today), loadRoster(deps, agency, today.slice(0, 7)), deps.store.cases.listOpen(agency)]);
          const of = <D>(w: string) => open.filter((c) => c.workflow === w) as unknown as Array<CaseRecord<D>>;
          return html(
            200,
            renderDutyHome({
              user: consoleUser(staff),
              today,
              ...(day ? { day } : {}),
              ...(roster ? { roster } : {}),
              incidents: of<IncidentData>("incident"),
              votes: of<VoteData>("vote").map(voteView),
              inspections: of<InspectionData>("inspection"),
              mayCallVote: holds(staff, VOTE_CALLERS),
              mayReport: holds(staff, INCIDENT_REPORTERS),
              mayInspect: holds(staff, ["security_officer"]),
              mayEditRoster: holds(staff, ROSTER_EDITORS),
            }),
          );
        }),
      },
    },
    {
      path: `${DUTY_PATH}/roster`,
      methods: {
        GET: page(async (req, staff, deps) => {
          requireRole(staff, DUTY_VIEWERS);
          const month = req.query.get("month") ?? shanghaiDate(deps.clock.now()).slice(0, 7);
          if (!MONTH.test(month)) throw new ValidationError("VALIDATION_FAILED", "月份应为 YYYY-MM 格式");
          return rosterPage(deps, staff, month, req.query.get("saved") ? { saved: true } : {});
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          requireRole(staff, [...ROSTER_EDITORS]);
          const month = MONTH.test(form.month ?? "") ? form.month! : shanghaiDate(deps.clock.now()).slice(0, 7);
          try {
            await saveRoster(deps, staff.principal, { month, days: rosterRows(form) });
            return redirect(`${DUTY_PATH}/roster?month=${month}&saved=1`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            // the form names rows by their index: days[3].officer → officer.3
            const errors = error.fields.map((f) => ({ ...f, path: f.path.replace(/^days\[(\d+)\]\.(\w+)$/, "$2.$1") }));
            return rosterPage(deps, staff, month, { values: form, errors }, 400);
          }
        }),
      },
    },
    {
      path: `${DUTY_PATH}/days/{caseId}`,
      methods: {
        GET: page(async (req, staff, deps) => {
          requireRole(staff, DUTY_VIEWERS);
          const day = await caseOf<DutyDayData>(deps, staff.principal, "duty", req.params.caseId!, "值守记录");
          const [tasks, entries] = await Promise.all([deps.store.tasks.ofCase(day.caseId), deps.store.catalogue.list(staff.principal.agencyCode)]);
          const published = entries.filter((e) => e.publishedOn === day.data.date && e.status === "published");
          return html(200, renderDutyDayPage({ user: consoleUser(staff), day, tasks, published, mayAnnotate: holds(staff, ANNOTATORS) }));
        }),
      },
    },
    {
      path: `${DUTY_PATH}/days/{caseId}/annotations`,
      methods: {
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          await annotateDutyDay(deps, staff.principal, req.params.caseId!, { text: form.text ?? "" });
          return redirect(`${DUTY_PATH}/days/${req.params.caseId}`);
        }),
      },
    },
    {
      path: `${DUTY_PATH}/votes`,
      methods: {
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          const v = await callVote(deps, staff.principal, { subject: form.subject ?? "", detail: form.detail ?? "", ...(form.reviewOf ? { reviewOf: form.reviewOf } : {}) });
          return redirect(`${DUTY_PATH}/votes/${v.voteId}`);
        }),
      },
    },
    {
      path: `${DUTY_PATH}/votes/{voteId}`,
      params: { voteId: ULID },
      methods: {
        GET: page(async (req, staff, deps) => {
          requireRole(staff, DUTY_VIEWERS);
          const v = await getVote(deps, staff.principal, req.params.voteId!);
          const mine = v.ballots.find((b) => b.username === staff.principal.username);
          return html(200, renderVotePage({ user: consoleUser(staff), vote: v, mayVote: v.members.includes(staff.principal.username), ...(mine ? { voted: mine.choice === "for" ? "赞成" : "反对" } : {}) }));
        }),
      },
    },
    {
      path: `${DUTY_PATH}/votes/{voteId}/ballots`,
      params: { voteId: ULID },
      methods: {
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          try {
            await castBallot(deps, staff.principal, req.params.voteId!, { choice: form.choice });
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            const v = await getVote(deps, staff.principal, req.params.voteId!);
            return html(400, renderVotePage({ user: consoleUser(staff), vote: v, mayVote: true, errors: error.fields }));
          }
          return redirect(`${DUTY_PATH}/votes/${req.params.voteId}`);
        }),
      },
    },
    {
      path: `${DUTY_PATH}/incidents/new`,
      methods: {
        GET: page(async (_req, staff) => {
          requireRole(staff, [...INCIDENT_REPORTERS]);
          return html(200, renderIncidentForm({ user: consoleUser(staff) }));
        }),
        POST: page(async (req, staff, deps) => {
          const form = readForm(req);
          checkCsrf(staff, req, form.csrfToken);
          requireRole(staff, [...INCIDENT_REPORTERS]);
          try {
            const r = await reportIncident(deps, staff.principal, { title: form.title, category: form.category, description: form.description, emergency: form.emergency === "true" });
            return redirect(`/console/cases/${r.caseId}?submitted=1`);
          } catch (error) {
            if (!(error instanceof ValidationError)) throw error;
            return html(400, renderIncidentForm({ user: consoleUser(staff), values: form, errors: error.fields }));
          }
        }),
      },
    },
    {
      path: `${DUTY_PATH}/inspections`,
      methods: {
        POST: page(async (req, staff, deps) => {
          checkCsrf(staff, req, readForm(req).csrfToken);
          const r = await startInspection(deps, staff.principal);
          return redirect(`/console/cases/${r.caseId}`);
        }),
      },
    },
    {
      path: `${DUTY_PATH}/summary`,
      methods: {
        GET: page(async (req, staff, deps) => {
          requireRole(staff, SUMMARY_READERS);
          return html(200, renderDutySummaryPage({ user: consoleUser(staff), summary: await dutySummaryFor(deps, staff.principal, req.query.get("month")) }));
        }),
      },
    },
  ];
}
