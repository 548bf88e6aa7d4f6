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

/**
 * Local stack only: pages the host answers 503 for, as if the portal were down — so the
 * automatic check can be seen finding an outage (POST /local/outage). Never on AWS.
 */
const downPaths = new Set<string>();

export function setPageDown(path: string, down: boolean): void {
  if (down) downPaths.add(path);
  else downPaths.delete(path);
}

export function pagesDown(): string[] {
  return [...downPaths];
}

export function isPageDown(path: string): boolean {
  return downPaths.has(path);
}
