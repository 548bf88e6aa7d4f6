import type { Clock } from "../domain/clock";
import { systemClock } from "../domain/clock";

/**
 * The clock handlers use. In Lambda it is the system clock; the local host swaps
 * in its movable clock (same process, same module) so a demo can jump ahead.
 */
let current: Clock = systemClock;

export const runtimeClock: Clock = { now: () => current.now() };

export function useRuntimeClock(clock: Clock): void {
  current = clock;
}
