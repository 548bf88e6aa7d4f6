import type { Clock } from "../../domain/clock";
import { readJson, writeJsonAtomic } from "./json-file";

export type ClockListener = (now: Date) => unknown;

export interface LocalClock extends Clock {
  /** Jumps forward to `instant`; moving backwards throws ClockBackwardsError. Resolves after listeners ran. */
  advanceTo(instant: Date): Promise<Date>;
  advanceBy(ms: number): Promise<Date>;
  /** Called after every move (e.g. to fire due schedules); returns an unsubscribe function. */
  onMove(listener: ClockListener): () => void;
}

export class ClockBackwardsError extends Error {
  override name = "ClockBackwardsError";
  constructor(
    readonly now: Date,
    readonly requested: Date,
  ) {
    super(`The local clock only moves forward: now ${now.toISOString()}, requested ${requested.toISOString()}`);
  }
}

export interface LocalClockOptions {
  /** persisted offset from real time (npm start): `{ "offsetMs": n }` */
  file?: string;
  /** tests: start here and stand still (only advanceTo/advanceBy move it) */
  start?: Date | string;
  /** real time source; injectable for tests of the file-backed mode */
  realNow?: () => number;
}

/**
 * The local stack's movable clock. With `file`, it is real time plus a persisted offset,
 * so a restart keeps a jump; with `start`, it is frozen until moved.
 */
export function createLocalClock(opts: LocalClockOptions = {}): LocalClock {
  const realNow = opts.realNow ?? Date.now;
  const listeners = new Set<ClockListener>();
  let frozenAt: number | undefined;
  let offsetMs = 0;
  if (opts.start !== undefined) {
    frozenAt = new Date(opts.start).getTime();
    if (Number.isNaN(frozenAt)) throw new Error(`Invalid clock start: ${String(opts.start)}`);
  } else if (opts.file) {
    const saved = readJson<{ offsetMs?: unknown }>(opts.file, {});
    offsetMs = typeof saved.offsetMs === "number" && Number.isFinite(saved.offsetMs) ? saved.offsetMs : 0;
  }
  const nowMs = () => (frozenAt ?? realNow() + offsetMs);

  async function advanceTo(instant: Date): Promise<Date> {
    const target = instant.getTime();
    const current = nowMs();
    if (Number.isNaN(target)) throw new Error("advanceTo: invalid date");
    if (target < current) throw new ClockBackwardsError(new Date(current), instant);
    if (frozenAt !== undefined) frozenAt = target;
    else {
      offsetMs += target - current;
      if (opts.file) writeJsonAtomic(opts.file, { offsetMs, movedTo: new Date(target).toISOString() });
    }
    const now = new Date(nowMs());
    for (const l of listeners) await l(now);
    return now;
  }

  return {
    now: () => new Date(nowMs()),
    advanceTo,
    advanceBy: (ms) => {
      if (!(ms >= 0)) return Promise.reject(new ClockBackwardsError(new Date(nowMs()), new Date(nowMs() + ms)));
      return advanceTo(new Date(nowMs() + ms));
    },
    onMove: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
