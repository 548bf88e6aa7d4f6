import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { FileStore } from "../../app/ports/files";
import { sdkClientConfig, withUnavailableAs503 } from "./clients";

let cached: S3Client | undefined;

/** The process's S3 client, created on first use with the same time-outs and 503 mapping as the others (clients.ts). */
export function s3Client(): S3Client {
  // the local stand-in serves buckets as paths (127.0.0.1 has no bucket sub-domains); AWS keeps virtual-hosted style
  cached ??= withUnavailableAs503(new S3Client({ ...sdkClientConfig("s3"), forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }), "s3");
  return cached;
}

/** The files bucket through the S3 API (AWS, or the local stand-in). */
export function createS3FileStore(s3: S3Client, bucket: string): FileStore {
  return {
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async get(key) {
      try {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const body = (await res.Body?.transformToByteArray()) ?? new Uint8Array();
        return { body, contentType: res.ContentType ?? "application/octet-stream" };
      } catch (err) {
        if (err instanceof NoSuchKey) return undefined;
        throw err;
      }
    },
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      // S3 lists in UTF-8 byte order already
      return keys;
    },
  };
}
