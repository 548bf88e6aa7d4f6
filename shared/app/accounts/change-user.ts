import type { AppDeps } from "../deps";
import { ConcurrentChangeError, ConflictError, NotFoundError } from "../errors";
import type { Write } from "../ports/store";
import type { UserRecord } from "../../domain/records";

/**
 * Reads a user, applies `change` and stores the result with `extra` writes (its audit
 * record, a mail) in one commit, conditional on the version read; a concurrent change
 * makes it read and apply again (at most 3 times). `change` may throw to refuse.
 */
export async function changeUser(
  deps: Pick<AppDeps, "store">,
  agencyCode: string,
  username: string,
  change: (user: UserRecord) => Promise<{ user: UserRecord; writes?: Write[] }> | { user: UserRecord; writes?: Write[] },
): Promise<UserRecord> {
  for (let round = 0; round < 3; round++) {
    const user = await deps.store.directory.user(agencyCode, username);
    if (!user) throw new NotFoundError("未找到该用户");
    const next = await change(user);
    try {
      await deps.store.commit([{ kind: "user", user: next.user, expectedVersion: user.version ?? 0 }, ...(next.writes ?? [])]);
      return { ...next.user, version: (user.version ?? 0) + 1 };
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError)) throw error;
    }
  }
  throw new ConflictError("CONCURRENT_CHANGE", "该用户刚被他人修改，请刷新后重试");
}
