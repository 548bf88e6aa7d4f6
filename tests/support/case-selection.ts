import { it as vitestIt } from "vitest";

/** Which cases of a shared case file a run takes: all of them, or those whose title contains one of `only`. */
export interface CaseSelection {
  only?: string[];
}

/**
 * An `it` that registers only the selected cases, and the check that every entry of `only`
 * named a case (call it at the end of the describe body): a renamed case must not drop out of
 * the connected run unseen.
 */
export function selectCases(selection: CaseSelection = {}) {
  const named = new Set<string>();
  const it = (title: string, fn: () => Promise<void>, timeout?: number) => {
    const parts = selection.only?.filter((part) => title.includes(part));
    parts?.forEach((part) => named.add(part));
    if (!parts || parts.length > 0) vitestIt(title, fn, timeout);
  };
  const everySelectedNamed = () => {
    const unmatched = (selection.only ?? []).filter((part) => !named.has(part));
    if (unmatched.length) throw new Error(`no case named like: ${unmatched.join(", ")}`);
  };
  return { it, everySelectedNamed };
}
