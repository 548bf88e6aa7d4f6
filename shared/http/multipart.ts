/**
 * `multipart/form-data` bodies (the portal's application form with attachments), parsed
 * with busboy from the buffered body API Gateway hands over (`req.bodyBuffer`).
 *
 * - Text fields come back as strings (last one wins, like `readForm`), decoded as UTF-8 or
 *   as the charset the Content-Type declares (`charset=gbk`…; an unsupported one is a 415).
 *   A field whose bytes are no text in that charset is refused (400): U+FFFD is never kept.
 * - File parts come back whole, with the field name and the browser's file name (UTF-8,
 *   as browsers send it, without the characters no text may hold). A file input left empty
 *   (no file name, no bytes) is skipped.
 * - Limits: the route's body limit is checked again here (413); a file larger than
 *   `maxFileBytes` is cut just past the limit and marked `truncated`, so the caller's
 *   size check (shared/domain/files/attachments.ts) reports it; files past `maxFiles`,
 *   fields past `maxFields` and over-long field values are refused.
 * - A body that is not well-formed multipart, or breaks a limit, is a `ValidationError`
 *   (400, Chinese message): JSON on /api/, and a page the portal can show with its form.
 */
import busboy from "busboy";
import { charsetOf, decoderFor, HttpRefusal, MAX_BODY_BYTES, type HttpRequest } from "./http";
import { ValidationError } from "../app/errors";
import { withoutTextProblems } from "../domain/text";

export interface MultipartFile {
  /** the form field's name */
  field: string;
  /** the file name the browser sent (may be empty or contain a path: clean it before use) */
  name: string;
  /** the type the browser declared: never trust it for the content (sniff the bytes) */
  declaredType: string;
  bytes: Buffer;
  /** cut at `maxFileBytes + 1` bytes */
  truncated: boolean;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartFile[];
}

export interface MultipartLimits {
  /** the route's body limit (defaults to MAX_BODY_BYTES) */
  maxBodyBytes?: number;
  /** at most this many files; more is a 400 */
  maxFiles?: number;
  /** bytes kept of each file before it is cut (the caller then refuses it as too large) */
  maxFileBytes?: number;
  /** at most this many text fields */
  maxFields?: number;
  /** bytes of one text field's value */
  maxFieldBytes?: number;
}

export function isMultipart(req: HttpRequest): boolean {
  return /^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "");
}

/** A field name fit to quote in a message. */
const shown = (name: string) => withoutTextProblems(name).slice(0, 40);

function badRequest(message: string, path = "", code = "malformed_body"): ValidationError {
  return new ValidationError("VALIDATION_FAILED", message, [{ path, code, message }]);
}

/**
 * Parses a `multipart/form-data` body. Throws a `ValidationError` (400) for a malformed
 * body or a broken limit, and an `HttpRefusal` for a body over the route's limit (413),
 * of another type or an unsupported charset (415).
 */
export async function readMultipart(req: HttpRequest, limits: MultipartLimits = {}): Promise<MultipartBody> {
  const maxBodyBytes = limits.maxBodyBytes ?? MAX_BODY_BYTES;
  if (req.bodyBuffer.byteLength > maxBodyBytes) {
    throw new HttpRefusal(413, "PAYLOAD_TOO_LARGE", `请求体过大，不能超过 ${Math.floor(maxBodyBytes / 1024)} KB`);
  }
  if (!isMultipart(req)) throw new HttpRefusal(415, "UNSUPPORTED_MEDIA_TYPE", "不支持的请求体类型，请使用 multipart/form-data");
  // busboy decodes leniently (and not GBK at all): it hands over the bytes, decoded strictly here
  const decoder = decoderFor(charsetOf(req.headers["content-type"]));
  const maxFiles = limits.maxFiles ?? 10;
  const maxFileBytes = limits.maxFileBytes ?? maxBodyBytes;
  const maxFields = limits.maxFields ?? 100;
  const maxFieldBytes = limits.maxFieldBytes ?? 64 * 1024;

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": req.headers["content-type"] },
      defCharset: "latin1",
      defParamCharset: "utf8", // browsers send UTF-8 file names; busboy's default is latin1
      limits: { files: maxFiles, fileSize: maxFileBytes + 1, fields: maxFields, fieldSize: maxFieldBytes, parts: maxFiles + maxFields },
    });
  } catch {
    throw badRequest("表单数据格式不正确（缺少 multipart 分隔符），请重新提交");
  }

  return new Promise<MultipartBody>((resolve, reject) => {
    const fields: Record<string, string> = {};
    const parts: Array<{ field: string; name: string; declaredType: string; chunks: Buffer[]; truncated: boolean }> = [];
    let failure: ValidationError | undefined;
    const fail = (error: ValidationError) => {
      failure ??= error;
    };
    let settled = false;
    const settle = (error?: ValidationError) => {
      if (settled) return;
      settled = true;
      const problem = error ?? failure;
      if (problem) return reject(problem);
      const files = parts
        .map((p) => ({ field: p.field, name: p.name, declaredType: p.declaredType, bytes: Buffer.concat(p.chunks), truncated: p.truncated }))
        // an empty file input still sends a part: no name and no content means "no file"
        .filter((f) => f.name !== "" || f.bytes.byteLength > 0);
      resolve({ fields, files });
    };

    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) return fail(badRequest(`表单字段“${shown(name)}”过长`, name, "too_long"));
      try {
        fields[name] = decoder.decode(Buffer.from(value, "latin1"));
      } catch {
        fail(badRequest(`表单字段“${shown(name)}”不是有效的 ${decoder.encoding.toUpperCase()} 文本，请确认提交时使用的字符编码`, name, "invalid_encoding"));
      }
    });
    parser.on("file", (field, stream, info) => {
      const part = { field, name: withoutTextProblems(info.filename ?? ""), declaredType: info.mimeType, chunks: [] as Buffer[], truncated: false };
      parts.push(part);
      stream.on("data", (chunk: Buffer) => part.chunks.push(chunk));
      stream.on("limit", () => {
        part.truncated = true;
      });
    });
    parser.on("filesLimit", () => fail(badRequest(`附件最多 ${maxFiles} 个`, "attachments", "too_many")));
    parser.on("fieldsLimit", () => fail(badRequest("表单字段过多")));
    parser.on("partsLimit", () => fail(badRequest("表单内容过多")));
    parser.on("error", () => settle(badRequest("表单数据格式不正确，请重新提交")));
    parser.on("close", () => settle());
    parser.end(req.bodyBuffer);
  });
}
