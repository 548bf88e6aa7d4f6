import { isIP } from "node:net";

/**
 * Which address the local stack listens on. The stand-ins have no authentication (DynamoDB
 * Local holds every application, the SQS stand-in accepts any message), so they listen on
 * the loopback interface only unless someone opens them on purpose with
 * `GONGKAI_LISTEN=0.0.0.0` (or one of this machine's addresses).
 */
export const LISTEN_ENV = "GONGKAI_LISTEN";
export const LOOPBACK = "127.0.0.1";

/**
 * The address from GONGKAI_LISTEN: 127.0.0.1 (the default) or a wildcard, 0.0.0.0 or `::`
 * (every interface). One other interface alone is not offered: the stack reaches its own
 * stand-ins at 127.0.0.1, which a listener on that interface alone would not answer.
 */
export function listenHost(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env[LISTEN_ENV]?.trim();
  if (!raw) return LOOPBACK;
  if (raw === LOOPBACK || raw === "0.0.0.0" || raw === "::") return raw;
  throw new Error(`${LISTEN_ENV} must be 127.0.0.1 (the default, this machine only) or 0.0.0.0 / :: (every interface, deliberately), not "${raw}"`);
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (a === "::1" || a === "localhost") return true;
  const v4 = a.startsWith("::ffff:") ? a.slice(7) : a;
  return isIP(v4) === 4 && v4.startsWith("127.");
}
