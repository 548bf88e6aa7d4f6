/** The files bucket (letters, attachments, archives) as use cases see it. */
export interface StoredObject {
  body: Uint8Array;
  contentType: string;
}

export interface FileStore {
  /** writes (or overwrites) one object */
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  /** undefined when there is no such object */
  get(key: string): Promise<StoredObject | undefined>;
  /** keys under a prefix, in key order */
  list(prefix: string): Promise<string[]>;
}
