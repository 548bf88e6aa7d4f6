import type { FileStore, StoredObject } from "../../app/ports/files";

/** UTF-8 byte order, as S3 lists keys (it differs from JS string order beyond the BMP). */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** The files bucket in memory, for use-case tests; `keys()` shows what was stored. */
export function createMemoryFileStore(): FileStore & { keys(): string[] } {
  const objects = new Map<string, StoredObject>();
  // copies in and out, so a caller mutating its buffer cannot change what was stored
  const copy = (o: StoredObject): StoredObject => ({ body: new Uint8Array(o.body), contentType: o.contentType });
  const keys = () => [...objects.keys()].sort(byteOrder);
  return {
    async put(key, body, contentType) {
      objects.set(key, { body: typeof body === "string" ? new TextEncoder().encode(body) : new Uint8Array(body), contentType });
    },
    async get(key) {
      const o = objects.get(key);
      return o && copy(o);
    },
    async list(prefix) {
      return keys().filter((k) => k.startsWith(prefix));
    },
    keys,
  };
}
