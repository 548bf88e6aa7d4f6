import { randomBytes } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { FileStore } from "../../../shared/app/ports/files";
import { createS3FileStore } from "../../../shared/adapters/aws/file-store";
import { createMemoryFileStore } from "../../../shared/adapters/memory/file-store";
import { ensureBucket } from "../../../shared/adapters/local/s3-local";

// the run's S3 stand-in (tests/support/global-setup.ts); a fresh bucket per store keeps cases apart
const s3 = new S3Client({
  endpoint: inject("s3Endpoint"),
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  forcePathStyle: true,
});
afterAll(() => s3.destroy());

async function s3Store(): Promise<FileStore> {
  const bucket = `files-${randomBytes(6).toString("hex")}`;
  await ensureBucket(s3, bucket);
  return createS3FileStore(s3, bucket);
}

const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);

/** One contract, two adapters: what the use cases may rely on. */
describe.each([
  ["memory", async (): Promise<FileStore> => createMemoryFileStore()],
  ["S3 (stand-in)", s3Store],
])("FileStore contract: %s", (_name, makeStore) => {
  it("returns what was put: text as UTF-8 bytes, binary unchanged, each with its content type", async () => {
    // Prepare
    const files = await makeStore();
    const binary = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);

    // Act
    await files.put("letters/2026/GK-00001/答复告知书.html", "<h1>政府信息公开申请答复告知书</h1>", "text/html; charset=utf-8");
    await files.put("letters/2026/GK-00001/答复告知书.docx", binary, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    const html = await files.get("letters/2026/GK-00001/答复告知书.html");
    const docx = await files.get("letters/2026/GK-00001/答复告知书.docx");

    // Assess
    expect(html?.contentType).toBe("text/html; charset=utf-8");
    expect(utf8(html?.body ?? new Uint8Array())).toBe("<h1>政府信息公开申请答复告知书</h1>");
    expect(docx?.contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(docx?.body).toEqual(binary);
  });

  it("answers undefined for a key never put", async () => {
    // Prepare
    const files = await makeStore();
    await files.put("a/one.txt", "1", "text/plain");

    // Act
    const missing = await files.get("a/two.txt");

    // Assess
    expect(missing).toBeUndefined();
  });

  it("overwrites: the last put wins, body and type", async () => {
    // Prepare
    const files = await makeStore();
    await files.put("k", "第一版", "text/plain");

    // Act
    await files.put("k", "<p>第二版</p>", "text/html");
    const got = await files.get("k");

    // Assess
    expect(got && { body: utf8(got.body), contentType: got.contentType }).toEqual({ body: "<p>第二版</p>", contentType: "text/html" });
  });

  it("keeps what was stored when the caller later changes its buffer", async () => {
    // Prepare
    const files = await makeStore();
    const body = new TextEncoder().encode("原文");
    await files.put("k", body, "text/plain");

    // Act
    body.fill(0);
    const got = await files.get("k");

    // Assess
    expect(utf8(got?.body ?? new Uint8Array())).toBe("原文");
  });

  it("lists the keys under a prefix in key order (UTF-8 bytes), past one page of S3's 1000", async () => {
    // Prepare: more keys than one ListObjectsV2 page, put out of order
    const files = await makeStore();
    const keys = Array.from({ length: 1003 }, (_, i) => `archive/2026/${String(i).padStart(4, "0")}.json`);
    const shuffled = [...keys].sort(() => 0.5 - Math.random());
    for (let i = 0; i < shuffled.length; i += 50) await Promise.all(shuffled.slice(i, i + 50).map((k) => files.put(k, "{}", "application/json")));
    await files.put("archive/2027/\u{1F4C4}.json", "{}", "application/json");
    await files.put("archive/2027/\uFF5E.json", "{}", "application/json");
    await files.put("archived.txt", "x", "text/plain");

    // Act
    const year2026 = await files.list("archive/2026/");
    const year2027 = await files.list("archive/2027/");
    const none = await files.list("nothing/");

    // Assess
    expect(year2026).toEqual(keys);
    expect(year2027).toEqual(["archive/2027/\uFF5E.json", "archive/2027/\u{1F4C4}.json"]);
    expect(none).toEqual([]);
  });
});

describe("memory FileStore", () => {
  it("shows every stored key, for assertions in use-case tests", async () => {
    // Prepare
    const files = createMemoryFileStore();

    // Act
    await files.put("b", "2", "text/plain");
    await files.put("a", "1", "text/plain");

    // Assess
    expect(files.keys()).toEqual(["a", "b"]);
  });
});
