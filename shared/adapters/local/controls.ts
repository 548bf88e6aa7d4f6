import type { LocalClock } from "./local-clock";

/** What the local-only HTTP functions (the clock page) may reach in the in-process local stack. */
export interface LocalControls {
  clock: LocalClock;
  /** moves the clock to `instant` and fires the schedules that fell due */
  advanceTo(instant: Date): Promise<{ fired: number }>;
}

let controls: LocalControls | undefined;

export function setLocalControls(c: LocalControls | undefined): void {
  controls = c;
}

/** undefined when not running on the local stack (the handler answers 503). */
export function getLocalControls(): LocalControls | undefined {
  return controls;
}
