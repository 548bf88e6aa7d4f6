import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors";
import type { CaseRecord } from "../../domain/records";
import type { Role } from "../../domain/roles";
import { roleLabel } from "../../domain/roles";
import type { Actor } from "../../domain/audit";

/** The caller's first role among `roles`, or 403 naming who may. */
export function roleAmong(principal: StaffPrincipal, roles: readonly Role[]): Role {
  const role = principal.roles.find((r) => roles.includes(r));
  if (!role) throw new ForbiddenError(`只有${roles.map(roleLabel).join("、")}可以执行此操作`);
  return role;
}

export function staffActor(principal: StaffPrincipal, role: Role): Actor {
  return { kind: "staff", username: principal.username, displayName: principal.displayName, role };
}

/** A case of `workflow` in the caller's agency; any other is not found (another agency's does not exist for them). */
export async function caseOf<D>(deps: AppDeps, principal: Pick<StaffPrincipal, "agencyCode">, workflow: string, caseId: string, what: string): Promise<CaseRecord<D>> {
  const c = await deps.store.cases.get(caseId);
  if (!c || c.workflow !== workflow || c.agencyCode !== principal.agencyCode) throw new NotFoundError(`未找到该${what}`);
  return c as unknown as CaseRecord<D>;
}

/** A JSON object body, or 400. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError("VALIDATION_FAILED", "请求内容应为 JSON 对象", [{ path: "", code: "wrong_type", message: "请求内容应为 JSON 对象" }]);
  return body as Record<string, unknown>;
}
