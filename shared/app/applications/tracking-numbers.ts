import type { AppDeps } from "../deps";
import type { Counters } from "../ports/store";
import type { Clock } from "../../domain/clock";

/**
 * Tracking-number sequences handed out from blocks (docs/architecture.md, "Tracking numbers").
 * One counter item per agency and year would put every intake of the agency on one hot
 * item, one UpdateItem after another; a process therefore reserves a block with one ADD and
 * hands its numbers out itself. A quiet office (no reservation for QUIET_MS) reserves one
 * number at a time, so its numbers have no gaps; under load each reservation doubles the
 * block, up to MAX_BLOCK. Numbers a process never hands out are gaps, never duplicates, and
 * one process hands its numbers out in increasing order.
 */
export const QUIET_MS = 5_000;
export const MAX_BLOCK = 32;

interface Sequence {
  /** next number to hand out, and the last of the block */
  next: number;
  last: number;
  size: number;
  reservedAt?: number;
  /** the one reservation under way: everyone waiting for numbers shares it */
  pending?: Promise<void>;
}

export interface BlockCounter {
  next(agencyCode: string, name: string): Promise<number>;
}

export function blockCounter(counters: Pick<Counters, "next">, clock: Clock): BlockCounter {
  const sequences = new Map<string, Sequence>();

  async function reserve(s: Sequence, agencyCode: string, name: string): Promise<void> {
    const now = clock.now().getTime();
    // a clock moved back counts as quiet, like a long pause
    const busy = s.reservedAt !== undefined && now >= s.reservedAt && now - s.reservedAt < QUIET_MS;
    const size = busy ? Math.min(s.size * 2, MAX_BLOCK) : 1;
    const last = await counters.next(agencyCode, name, size);
    Object.assign(s, { next: last - size + 1, last, size, reservedAt: now });
  }

  return {
    async next(agencyCode, name) {
      const key = `${agencyCode}/${name}`;
      const s = sequences.get(key) ?? { next: 1, last: 0, size: 0 };
      sequences.set(key, s);
      for (;;) {
        if (s.next <= s.last) return s.next++;
        s.pending ??= reserve(s, agencyCode, name).finally(() => (s.pending = undefined));
        await s.pending;
      }
    },
  };
}

const perStore = new WeakMap<object, BlockCounter>();

/** The next sequence number of an agency's tracking numbers in `year`, from this process's block. */
export function nextTrackingSequence(deps: Pick<AppDeps, "store" | "clock">, agencyCode: string, year: number): Promise<number> {
  let counter = perStore.get(deps.store);
  if (!counter) perStore.set(deps.store, (counter = blockCounter(deps.store.counters, deps.clock)));
  return counter.next(agencyCode, `APPLICATION#${year}`);
}
