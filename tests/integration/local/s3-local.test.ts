import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBucket, startS3Local } from "../../../shared/adapters/local/s3-local";
import type { S3Local } from "../../../shared/adapters/local/s3-local";

const standIn = resolve(import.meta.dirname, "../../../shared/adapters/local/s3-local.ts");
const dirs: string[] = [];
const clients: S3Client[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-s3-test-"));
  dirs.push(dir);
  return dir;
}

/** The real SDK, configured as awsClients() is locally: endpoint + path-style. */
function clientOf(endpoint: string): S3Client {
  const c = new S3Client({ endpoint, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, forcePathStyle: true, maxAttempts: 1 });
  clients.push(c);
  return c;
}

/** The error a call fails with (a failed call is the expected outcome here). */
async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail("the call succeeded"),
    (err: unknown) => err,
  );
}

async function text(s3: S3Client, Bucket: string, Key: string): Promise<{ body: string; type?: string }> {
  const res = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return { body: (await res.Body?.transformToString("utf8")) ?? "", type: res.ContentType };
}

async function listAll(s3: S3Client, Bucket: string, Prefix: string, MaxKeys: number): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix, MaxKeys, ContinuationToken: token }));
    pages++;
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ""));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys, pages };
}

let server: S3Local;
let s3: S3Client;
const bucket = "gongkai-files";

beforeAll(async () => {
  server = await startS3Local({ dataDir: tempDir() });
  s3 = clientOf(server.endpoint);
  await ensureBucket(s3, bucket);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("S3 stand-in with @aws-sdk/client-s3", () => {
  afterEach(async () => {
    for (const key of (await listAll(s3, bucket, "", 1000)).keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  });

  it("listens on 127.0.0.1 only, and creates a bucket once (BucketAlreadyOwnedByYou after)", async () => {
    // Act
    const again = await failure(s3.send(new CreateBucketCommand({ Bucket: bucket })));
    const head = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const missing = await failure(s3.send(new HeadBucketCommand({ Bucket: "no-such-bucket" })));

    // Assess
    expect(new URL(server.endpoint).hostname).toBe("127.0.0.1");
    expect(again).toMatchObject({ name: "BucketAlreadyOwnedByYou", $metadata: { httpStatusCode: 409 } });
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(missing).toMatchObject({ name: "NotFound", $metadata: { httpStatusCode: 404 } });
    await ensureBucket(s3, bucket);
  });

  it("stores and returns bytes with their Content-Type, ETag and size; an overwrite replaces both", async () => {
    // Prepare
    const Key = "letters/2026/GK-00001/答复告知书.html";
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);

    // Act
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "<p>第一版</p>", ContentType: "text/html; charset=utf-8" }));
    const first = await text(s3, bucket, Key);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: binary, ContentType: "application/octet-stream" }));
    const second = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    const secondBytes = await second.Body?.transformToByteArray();
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));

    // Assess
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first).toEqual({ body: "<p>第一版</p>", type: "text/html; charset=utf-8" });
    expect(second.ContentType).toBe("application/octet-stream");
    expect(secondBytes).toEqual(binary);
    expect(head).toMatchObject({ ContentLength: 256, ContentType: "application/octet-stream", ETag: second.ETag });
    expect(head.LastModified).toBeInstanceOf(Date);
  });

  it("answers a missing key with NoSuchKey (404, XML), HeadObject with NotFound, a missing bucket with NoSuchBucket", async () => {
    // Act
    const get = await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "nothing/here" })));
    const head = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "nothing/here" })));
    const noBucket = await failure(s3.send(new GetObjectCommand({ Bucket: "no-such-bucket", Key: "k" })));

    // Assess
    expect(get).toBeInstanceOf(NoSuchKey);
    expect(get).toMatchObject({ Key: "nothing/here", $metadata: { httpStatusCode: 404 } });
    expect(head).toMatchObject({ name: "NotFound", $metadata: { httpStatusCode: 404 } });
    expect(noBucket).toBeInstanceOf(NoSuchBucket);
  });

  it("deletes an object (and a missing one without complaint)", async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "tmp/a.txt", Body: "a" }));

    // Act
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "tmp/a.txt" }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "tmp/a.txt" }));

    // Assess
    await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "tmp/a.txt" }))).rejects.toBeInstanceOf(NoSuchKey);
    expect((await listAll(s3, bucket, "tmp/", 1000)).keys).toEqual([]);
  });

  it("lists by prefix in UTF-8 byte order, page by page with continuation tokens, and groups by delimiter", async () => {
    // Prepare: astral-plane keys sort after U+FFxx in bytes, before it in UTF-16
    const keys = ["a/1", "a/2", "a/3", "a/b/4", "a/\uFF5E", "a/\u{1F4C4}", "a-sibling", "b/5"];
    for (const Key of [...keys].reverse()) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));

    // Act
    const paged = await listAll(s3, bucket, "a/", 2);
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "a/", Delimiter: "/" }));
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: "a/3" }));

    // Assess
    expect(paged).toEqual({ keys: ["a/1", "a/2", "a/3", "a/b/4", "a/\uFF5E", "a/\u{1F4C4}"], pages: 3 });
    expect(grouped.Contents?.map((o) => o.Key)).toEqual(["a/1", "a/2", "a/3", "a/\uFF5E", "a/\u{1F4C4}"]);
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/b/"]);
    expect(grouped.KeyCount).toBe(6);
    expect(after.Contents?.map((o) => o.Key)).toEqual(["a/b/4", "a/\uFF5E", "a/\u{1F4C4}", "b/5"]);
  });

  it("takes a streamed upload (aws-chunked with a trailing checksum) and stores the plain bytes", async () => {
    // Prepare
    const content = Buffer.from("流式上传的归档文件\n".repeat(5000), "utf8");

    // Act
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "archives/2026.txt", Body: Readable.from([content]), ContentLength: content.length, ContentType: "text/plain" }));
    const back = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "archives/2026.txt" }));

    // Assess
    expect(Buffer.from((await back.Body?.transformToByteArray()) ?? [])).toEqual(content);
    expect(back.ContentLength).toBe(content.length);
  });

  it("refuses what it does not implement instead of guessing (CopyObject, multipart)", async () => {
    // Act
    const copy = await failure(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy", CopySource: `${bucket}/x` })));
    const res = await fetch(`${server.endpoint}/${bucket}/big?uploads`, { method: "POST" });

    // Assess
    expect(copy).toBeInstanceOf(S3ServiceException);
    expect(copy).toMatchObject({ name: "NotImplemented", $metadata: { httpStatusCode: 501 } });
    expect(res.status).toBe(501);
    expect(await res.text()).toContain("<Code>NotImplemented</Code>");
  });
});

describe("S3 stand-in persistence", () => {
  it("keeps objects across a stop and a restart on the same folder, and drops an emptied bucket", async () => {
    // Prepare
    const dir = tempDir();
    const first = await startS3Local({ dataDir: dir });
    const c1 = clientOf(first.endpoint);
    await ensureBucket(c1, "kept");
    await ensureBucket(c1, "dropped");
    await c1.send(new PutObjectCommand({ Bucket: "kept", Key: "letters/a.html", Body: "旧", ContentType: "text/html" }));
    await c1.send(new PutObjectCommand({ Bucket: "kept", Key: "letters/a.html", Body: "新", ContentType: "text/html; charset=utf-8" }));
    await c1.send(new PutObjectCommand({ Bucket: "kept", Key: "letters/b.html", Body: "删" }));
    await c1.send(new DeleteObjectCommand({ Bucket: "kept", Key: "letters/b.html" }));
    await c1.send(new DeleteBucketCommand({ Bucket: "dropped" }));

    // Act
    await first.stop();
    const second = await startS3Local({ dataDir: dir });
    const c2 = clientOf(second.endpoint);

    // Assess
    try {
      expect(await text(c2, "kept", "letters/a.html")).toEqual({ body: "新", type: "text/html; charset=utf-8" });
      expect((await listAll(c2, "kept", "", 1000)).keys).toEqual(["letters/a.html"]);
      expect(await failure(c2.send(new HeadBucketCommand({ Bucket: "dropped" })))).toMatchObject({ name: "NotFound" });
      // one metadata file and one data file: the overwritten and the deleted bytes are gone
      expect(readdirSync(join(dir, "kept")).map((f) => f.split(".").pop()).sort()).toEqual(["data", "json"]);
    } finally {
      await second.stop();
    }
  });

  it("keeps every acknowledged write when its process is SIGKILLed, and clears what an interrupted write left", async () => {
    // Prepare: the stand-in in a child process, as in npm start
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "-e", "const { startS3Local } = await import(process.argv[1]); const s = await startS3Local({ dataDir: process.argv[2] }); console.log(s.endpoint);", standIn, dir],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((ok) => child.once("exit", ok));
    const endpoint = await new Promise<string>((ok, fail) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) ok(out.trim());
      });
      child.once("exit", (code) => fail(new Error(`stand-in exited (${code}) before answering`)));
    });
    const c1 = clientOf(endpoint);
    await ensureBucket(c1, "kill");
    await c1.send(new PutObjectCommand({ Bucket: "kill", Key: "before-kill.txt", Body: "已确认", ContentType: "text/plain" }));

    // Act
    child.kill("SIGKILL");
    await exited;
    // what a kill between writing the bytes and committing their metadata leaves behind
    writeFileSync(join(dir, "kill", "0".repeat(64) + ".json.123.tmp"), "{ torn");
    writeFileSync(join(dir, "kill", "1".repeat(64) + ".orphan.data"), "never committed");
    const again = await startS3Local({ dataDir: dir });
    const c2 = clientOf(again.endpoint);

    // Assess
    try {
      expect(await text(c2, "kill", "before-kill.txt")).toEqual({ body: "已确认", type: "text/plain" });
      expect((await listAll(c2, "kill", "", 1000)).keys).toEqual(["before-kill.txt"]);
      expect(readdirSync(join(dir, "kill")).filter((f) => f.endsWith(".tmp") || f.includes("orphan"))).toEqual([]);
    } finally {
      await again.stop();
    }
  });
});
