/**
 * A small S3 stand-in that `@aws-sdk/client-s3` talks to unchanged (path-style REST/XML),
 * persisted to a folder so that files kept by `npm start` survive a restart (fauxqs's S3
 * is memory only). The subset the app uses: CreateBucket, HeadBucket, DeleteBucket,
 * PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2. Anything else is
 * answered with NotImplemented, never guessed.
 *
 * On disk, per bucket folder: `<sha256(key)>.json` (key, size, ETag, type, metadata, data
 * file name) and the bytes in `<sha256(key)>.<uuid>.data`. A write puts the bytes in a new
 * data file, then replaces the .json atomically (temp + rename): that rename is the
 * commit, so a SIGKILL at any point leaves either the old or the new object, and start-up
 * removes data files no .json names.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createReadStream, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { BucketAlreadyOwnedByYou, CreateBucketCommand } from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { portIsFree } from "./dynamodb-local";
import { listenHost } from "./listen";
import { writeJsonAtomic } from "./json-file";

export interface S3LocalOptions {
  /** objects live in `<dataDir>/<bucket>/` */
  dataDir: string;
  /** 0 / undefined = any free port */
  port?: number;
  /** the address to listen on; default GONGKAI_LISTEN or 127.0.0.1 (listen.ts) */
  host?: string;
}

export interface S3Local {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Bodies are held in memory while they arrive; the local stack's files are letters and archives. */
export const MAX_OBJECT_BYTES = 512 * 1024 * 1024;

interface ObjectMeta {
  key: string;
  size: number;
  /** quoted MD5 hex, as S3 sends it */
  etag: string;
  contentType: string;
  /** ISO instant */
  lastModified: string;
  /** x-amz-meta-* headers, names lower-cased without the prefix */
  metadata: Record<string, string>;
  /** data file name inside the bucket folder */
  data: string;
}

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** extra elements of the error document, as S3 sends them (Key, BucketName) */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// sub-resources of operations this stand-in does not implement (multipart, ACLs, tagging, ...)
const UNSUPPORTED_QUERY = ["uploads", "uploadId", "partNumber", "tagging", "acl", "attributes", "retention", "legal-hold", "torrent", "restore", "select", "versionId", "versioning", "policy", "cors", "lifecycle", "location", "delete"];

const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
const keyHash = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");
/** S3 orders keys by their UTF-8 bytes, which differs from JS string order beyond the BMP */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** Loads one bucket folder, dropping what an interrupted write left behind. */
function loadBucket(dir: string): Map<string, ObjectMeta> {
  const objects = new Map<string, ObjectMeta>();
  const files = readdirSync(dir);
  for (const f of files) {
    if (f.endsWith(".tmp")) rmSync(join(dir, f), { force: true });
    else if (f.endsWith(".json")) {
      const meta = JSON.parse(readFileSync(join(dir, f), "utf8")) as ObjectMeta;
      objects.set(meta.key, meta);
    }
  }
  const referenced = new Set([...objects.values()].map((m) => m.data));
  for (const f of files) if (f.endsWith(".data") && !referenced.has(f)) rmSync(join(dir, f), { force: true });
  return objects;
}

/** The body of an `aws-chunked` upload (what the SDK sends for streams): size;ext CRLF data CRLF … 0 CRLF trailers. */
function decodeAwsChunked(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf("\r\n", pos);
    const size = eol < 0 ? NaN : parseInt(buf.subarray(pos, eol).toString("latin1").split(";")[0] ?? "", 16);
    if (!Number.isInteger(size) || size < 0 || eol + 2 + size > buf.length) throw new S3Error(400, "IncompleteBody", "The aws-chunked body is malformed.");
    pos = eol + 2;
    if (size === 0) return Buffer.concat(parts); // trailing checksums follow; not verified here
    parts.push(buf.subarray(pos, pos + size));
    pos += size + 2;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_OBJECT_BYTES) throw new S3Error(400, "EntityTooLarge", `The local S3 stand-in keeps objects up to ${MAX_OBJECT_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_OBJECT_BYTES) throw new S3Error(400, "EntityTooLarge", `The local S3 stand-in keeps objects up to ${MAX_OBJECT_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startS3Local(opts: S3LocalOptions): Promise<S3Local> {
  const root = opts.dataDir;
  mkdirSync(root, { recursive: true });
  const buckets = new Map<string, Map<string, ObjectMeta>>();
  for (const name of readdirSync(root)) {
    if (BUCKET_NAME.test(name) && statSync(join(root, name)).isDirectory()) buckets.set(name, loadBucket(join(root, name)));
  }

  const bucketOf = (name: string) => {
    const b = buckets.get(name);
    if (!b) throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist.", { BucketName: name });
    return b;
  };

  function putObject(req: IncomingMessage, res: ServerResponse, bucket: string, key: string, raw: Buffer): void {
    const objects = bucketOf(bucket);
    if (Buffer.byteLength(key, "utf8") > 1024) throw new S3Error(400, "KeyTooLongError", "Your key is too long.");
    if (req.headers["if-none-match"] === "*" && objects.has(key)) throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.");
    const chunked = (req.headers["content-encoding"] ?? "").includes("aws-chunked") || String(req.headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
    const body = chunked ? decodeAwsChunked(raw) : raw;
    const decodedLength = req.headers["x-amz-decoded-content-length"];
    if (chunked && decodedLength !== undefined && Number(decodedLength) !== body.length) throw new S3Error(400, "IncompleteBody", "The body is shorter than x-amz-decoded-content-length.");
    const md5 = createHash("md5").update(body).digest();
    const sentMd5 = req.headers["content-md5"];
    if (sentMd5 !== undefined && sentMd5 !== md5.toString("base64")) throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith("x-amz-meta-") && typeof value === "string") metadata[name.slice("x-amz-meta-".length)] = value;
    }
    const dir = join(root, bucket);
    const hash = keyHash(key);
    const meta: ObjectMeta = {
      key,
      size: body.length,
      etag: `"${md5.toString("hex")}"`,
      contentType: req.headers["content-type"] ?? "binary/octet-stream",
      lastModified: new Date().toISOString(),
      metadata,
      data: `${hash}.${randomUUID()}.data`,
    };
    writeFileSync(join(dir, meta.data), body);
    writeJsonAtomic(join(dir, `${hash}.json`), meta); // the commit
    const old = objects.get(key);
    objects.set(key, meta);
    if (old) rmSync(join(dir, old.data), { force: true });
    res.writeHead(200, { etag: meta.etag, "content-length": 0 }).end();
  }

  function objectHeaders(meta: ObjectMeta): Record<string, string | number> {
    const headers: Record<string, string | number> = {
      "content-type": meta.contentType,
      "content-length": meta.size,
      etag: meta.etag,
      "last-modified": new Date(meta.lastModified).toUTCString(),
    };
    for (const [k, v] of Object.entries(meta.metadata)) headers[`x-amz-meta-${k}`] = v;
    return headers;
  }

  function getObject(res: ServerResponse, bucket: string, key: string, head: boolean): void {
    const meta = bucketOf(bucket).get(key);
    if (!meta) throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", { Key: key });
    if (head) {
      res.writeHead(200, objectHeaders(meta)).end();
      return;
    }
    // opened in the same tick as the lookup: an overwrite that follows unlinks the file, but the open descriptor still reads it
    const fd = openSync(join(root, bucket, meta.data), "r");
    res.writeHead(200, objectHeaders(meta));
    createReadStream("", { fd }).pipe(res);
  }

  function listObjectsV2(res: ServerResponse, bucket: string, q: URLSearchParams): void {
    const objects = bucketOf(bucket);
    const prefix = q.get("prefix") ?? "";
    const delimiter = q.get("delimiter") ?? "";
    const maxKeys = Math.min(Math.max(Number(q.get("max-keys") ?? 1000) || 0, 0), 1000);
    const token = q.get("continuation-token");
    const startAfter = q.get("start-after") ?? "";
    const urlEncode = q.get("encoding-type") === "url";
    let after = startAfter;
    if (token !== null) {
      after = Buffer.from(token, "base64url").toString("utf8");
      if (!token || Buffer.from(after, "utf8").toString("base64url") !== token) throw new S3Error(400, "InvalidArgument", "The continuation token provided is incorrect.");
    }
    const enc = (s: string) => xmlEscape(urlEncode ? encodeURIComponent(s).replace(/%2F/g, "/") : s);
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && byteOrder(k, after) > 0).sort(byteOrder);
    const contents: ObjectMeta[] = [];
    const commonPrefixes: string[] = [];
    let last = "";
    let truncated = false;
    for (const key of keys) {
      // a common prefix already returned on an earlier page is not returned again
      if (delimiter && after.endsWith(delimiter) && key.startsWith(after)) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const item = cut >= 0 ? key.slice(0, cut + delimiter.length) : key;
      if (item === last) continue;
      if (contents.length + commonPrefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (cut >= 0) commonPrefixes.push(item);
      else contents.push(objects.get(key) as ObjectMeta);
      last = item;
    }
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
      `<Name>${xmlEscape(bucket)}</Name><Prefix>${enc(prefix)}</Prefix>`,
      delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : "",
      `<MaxKeys>${maxKeys}</MaxKeys>`,
      urlEncode ? "<EncodingType>url</EncodingType>" : "",
      `<KeyCount>${contents.length + commonPrefixes.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>`,
      token !== null ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : "",
      truncated ? `<NextContinuationToken>${Buffer.from(last, "utf8").toString("base64url")}</NextContinuationToken>` : "",
      startAfter ? `<StartAfter>${enc(startAfter)}</StartAfter>` : "",
      ...contents.map(
        (m) =>
          `<Contents><Key>${enc(m.key)}</Key><LastModified>${m.lastModified}</LastModified><ETag>${xmlEscape(m.etag)}</ETag><Size>${m.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      ),
      ...commonPrefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`),
      "</ListBucketResult>",
    ].join("");
    res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(xml) }).end(xml);
  }

  function bucketOperation(req: IncomingMessage, res: ServerResponse, bucket: string, q: URLSearchParams): void {
    switch (req.method) {
      case "PUT": {
        if (!BUCKET_NAME.test(bucket)) throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.", { BucketName: bucket });
        if (buckets.has(bucket)) throw new S3Error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", { BucketName: bucket });
        mkdirSync(join(root, bucket), { recursive: true });
        buckets.set(bucket, new Map());
        res.writeHead(200, { location: `/${bucket}`, "content-length": 0 }).end();
        return;
      }
      case "HEAD":
        bucketOf(bucket);
        res.writeHead(200, { "content-length": 0 }).end();
        return;
      case "DELETE":
        if (bucketOf(bucket).size > 0) throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty.", { BucketName: bucket });
        rmSync(join(root, bucket), { recursive: true, force: true });
        buckets.delete(bucket);
        res.writeHead(204).end();
        return;
      case "GET":
        if (q.get("list-type") === "2") return listObjectsV2(res, bucket, q);
    }
    throw new S3Error(501, "NotImplemented", `The local S3 stand-in does not implement ${req.method} on a bucket with this query.`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? "/";
    const qAt = target.indexOf("?");
    const path = qAt < 0 ? target : target.slice(0, qAt);
    const q = new URLSearchParams(qAt < 0 ? "" : target.slice(qAt + 1));
    const slash = path.indexOf("/", 1);
    const bucket = decodeURIComponent(slash < 0 ? path.slice(1) : path.slice(1, slash));
    const key = slash < 0 ? "" : decodeURIComponent(path.slice(slash + 1));
    // the body is read whole before anything is decided, so that a refusal never leaves it unread on a keep-alive socket
    const raw = await readBody(req);
    if (!bucket) throw new S3Error(501, "NotImplemented", "The local S3 stand-in serves path-style bucket requests only (forcePathStyle: true).");
    if (UNSUPPORTED_QUERY.some((name) => q.has(name)) || req.headers["x-amz-copy-source"]) {
      throw new S3Error(501, "NotImplemented", `The local S3 stand-in does not implement this ${req.method} request.`);
    }
    if (!key) return bucketOperation(req, res, bucket, q);
    switch (req.method) {
      case "PUT":
        return putObject(req, res, bucket, key, raw);
      case "GET":
      case "HEAD":
        return getObject(res, bucket, key, req.method === "HEAD");
      case "DELETE": {
        const objects = bucketOf(bucket);
        const meta = objects.get(key);
        if (meta) {
          rmSync(join(root, bucket, `${keyHash(key)}.json`), { force: true }); // the commit
          objects.delete(key);
          rmSync(join(root, bucket, meta.data), { force: true });
        }
        res.writeHead(204).end();
        return;
      }
    }
    throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  }

  const server = createServer((req, res) => {
    const requestId = randomBytes(8).toString("hex").toUpperCase();
    res.setHeader("x-amz-request-id", requestId);
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof S3Error ? err : new S3Error(500, "InternalError", err instanceof Error ? err.message : String(err));
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // HEAD answers carry no body: the SDK then names the error after the status (NotFound)
      const xml =
        req.method === "HEAD"
          ? ""
          : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message>${Object.entries(e.details).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join("")}<RequestId>${requestId}</RequestId></Error>`;
      res.writeHead(e.status, { "content-type": "application/xml", "content-length": Buffer.byteLength(xml) }).end(xml);
    });
  });

  const port = opts.port ?? 0;
  if (port && !(await portIsFree(port))) throw new Error(`Port ${port} for the S3 stand-in is already in use (set S3_PORT to another port).`);
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, opts.host ?? listenHost(), () => {
      server.off("error", fail);
      ok();
    });
  });
  const addr = server.address();
  const bound = typeof addr === "object" && addr ? addr.port : 0;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    port: bound,
    stop: () =>
      (stopping ??= new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      })),
  };
}

/** Creates the bucket unless this account already has it. */
export async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (err) {
    if (!(err instanceof BucketAlreadyOwnedByYou)) throw err;
  }
}

