/**
 * Manifest names are plain strings now (queues and step functions are derived from the
 * workflow definitions), so a record lookup can miss. This is the one place that turns a
 * miss into a readable synth error instead of an `undefined` deep inside a construct.
 */
export function lookup<T>(record: Readonly<Record<string, T>>, name: string, what: string): T {
  const value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (value === undefined) {
    throw new Error(`unknown ${what} "${name}": shared/manifest.ts defines ${Object.keys(record).join(", ") || "none"}`);
  }
  return value;
}
