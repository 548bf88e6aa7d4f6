import { createHash } from "node:crypto";
import type { AppDeps } from "../deps";
import type { StaffPrincipal } from "../auth";
import { ConcurrentChangeError, ForbiddenError, ValidationError, type FieldError } from "../errors";
import type { Write } from "../ports/store";
import { isIsoDate, shanghaiDate } from "../../domain/calendar";
import { chainEvent, GENESIS_HASH } from "../../domain/audit";
import { needsGround, replyGrounds, replyTypes, resultCellOf, type ReplyType } from "../../domain/report/cells";
import { organizationKinds } from "../../schemas/application";
import { applicationWorkflow } from "../../domain/workflows";
import { newCaseRecord } from "../../domain/workflows/engine";
import { checkText } from "../../domain/text";
import { logger } from "../../adapters/logger";

/**
 * Applications handled before the system (SPEC §7.2 `POST /api/v1/imports/applications`):
 * one row each — `reference,receivedOn,applicantType,organizationKind,replyType,ground,closedOn`
 * — so an office starting mid-year reports its whole year. Every row is checked before
 * anything is stored: one bad row refuses the file (400 naming the row and column). An
 * imported case is an application marked imported, closed in its one report cell or
 * still open; importing the same file again stores nothing twice (one claim per
 * reference, and a different row under a reference already imported is refused).
 */

export const IMPORT_HEADER = ["reference", "receivedOn", "applicantType", "organizationKind", "replyType", "ground", "closedOn"] as const;
export const IMPORT_MAX_ROWS = 5_000;
const IMPORT_ROLES = ["office_staff", "office_director"];
/** rows per transaction: each is its case, its audit event and its claim */
const ROWS_PER_COMMIT = 30;

export interface ImportRow {
  line: number;
  reference: string;
  receivedOn: string;
  applicantType: "natural_person" | "organization";
  organizationKind?: string;
  replyType?: ReplyType;
  ground?: string;
  closedOn?: string;
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ""));
}

const fail = (errors: FieldError[]) => new ValidationError("IMPORT_INVALID", `导入文件有 ${errors.length} 处错误，未导入任何内容`, errors.slice(0, 50));

/** Checks every row; the rows as the report counts them, or every error with its line and column. */
export function checkImportRows(table: string[][], today: string): ImportRow[] {
  const [header, ...body] = table;
  const errors: FieldError[] = [];
  const at = (line: number, column: string, code: string, message: string) => errors.push({ path: `rows.${line}.${column}`, code, message: `第 ${line} 行 ${column}：${message}` });
  if (!header || header.map((h) => h.trim()).join(",") !== IMPORT_HEADER.join(",")) {
    throw fail([{ path: "rows.1", code: "invalid_header", message: `第 1 行应为表头 ${IMPORT_HEADER.join(",")}` }]);
  }
  if (body.length === 0) throw fail([{ path: "rows", code: "empty", message: "文件中没有数据行" }]);
  if (body.length > IMPORT_MAX_ROWS) throw fail([{ path: "rows", code: "too_many", message: `一次最多导入 ${IMPORT_MAX_ROWS} 行` }]);
  const seen = new Map<string, number>();
  const rows: ImportRow[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length !== IMPORT_HEADER.length) {
      at(line, "*", "wrong_columns", `应有 ${IMPORT_HEADER.length} 列，实有 ${cells.length} 列`);
      return;
    }
    const v = Object.fromEntries(IMPORT_HEADER.map((h, j) => [h, cells[j]!.trim()])) as Record<(typeof IMPORT_HEADER)[number], string>;
    const before = errors.length;
    for (const h of IMPORT_HEADER) {
      const dirty = checkText(h, v[h]);
      if (dirty) at(line, h, dirty.code, dirty.message);
    }
    if (errors.length > before) return;
    if (!v.reference) at(line, "reference", "required", "请填写编号");
    else if (v.reference.length > 64) at(line, "reference", "too_long", "编号不能超过 64 个字符");
    else if (seen.has(v.reference)) at(line, "reference", "duplicate", `与第 ${seen.get(v.reference)} 行编号相同`);
    else seen.set(v.reference, line);
    const date = (column: "receivedOn" | "closedOn", required: boolean) => {
      const d = v[column];
      if (!d) {
        if (required) at(line, column, "required", "请填写日期");
        return undefined;
      }
      if (!isIsoDate(d)) at(line, column, "invalid_format", "应为 YYYY-MM-DD 格式的日期");
      else if (d > today) at(line, column, "out_of_range", "不能晚于今天");
      else return d;
      return undefined;
    };
    const receivedOn = date("receivedOn", true);
    const closedOn = date("closedOn", false);
    if (receivedOn && closedOn && closedOn < receivedOn) at(line, "closedOn", "out_of_range", "办结日期不能早于收到日期");
    if (v.applicantType !== "natural_person" && v.applicantType !== "organization") at(line, "applicantType", "invalid_choice", "应为 natural_person 或 organization");
    if (v.applicantType === "organization" && !(organizationKinds as readonly string[]).includes(v.organizationKind)) {
      at(line, "organizationKind", v.organizationKind ? "invalid_choice" : "required", `组织申请人须填写组织类别：${organizationKinds.join("、")}`);
    }
    if (v.applicantType === "natural_person" && v.organizationKind) at(line, "organizationKind", "not_allowed", "自然人不填组织类别");
    let replyType: ReplyType | undefined;
    if (v.replyType) {
      if (!(replyTypes as readonly string[]).includes(v.replyType)) at(line, "replyType", "invalid_choice", `答复类型无效（可选：${replyTypes.join("、")}）`);
      else replyType = v.replyType as ReplyType;
    }
    if (replyType && !closedOn && !errors.some((e) => e.path === `rows.${line}.closedOn`)) at(line, "closedOn", "required", "已办结的申请须填写办结日期");
    if (!replyType && closedOn) at(line, "replyType", "required", "已办结的申请须填写答复类型");
    if (!replyType && v.ground) at(line, "ground", "not_allowed", "未办结的申请不填理由");
    if (replyType) {
      if (needsGround(replyType)) {
        const grounds = replyGrounds[replyType] as readonly string[];
        if (!grounds.includes(v.ground)) at(line, "ground", v.ground ? "invalid_choice" : "required", `${replyType} 须填写理由（可选：${grounds.join("、")}）`);
      } else if (v.ground) at(line, "ground", "not_allowed", `${replyType} 不填理由`);
    }
    if (errors.length > before || !receivedOn) return;
    rows.push({
      line,
      reference: v.reference,
      receivedOn,
      applicantType: v.applicantType as ImportRow["applicantType"],
      ...(v.organizationKind ? { organizationKind: v.organizationKind } : {}),
      ...(replyType ? { replyType } : {}),
      ...(v.ground ? { ground: v.ground } : {}),
      ...(closedOn ? { closedOn } : {}),
    });
  });
  if (errors.length) throw fail(errors);
  return rows;
}

const rowHash = (r: ImportRow) => createHash("sha256").update(JSON.stringify({ ...r, line: 0 })).digest("hex");

/** Imports the checked rows for the caller's agency: `{ imported, unchanged }`. */
export async function importApplications(deps: AppDeps, principal: StaffPrincipal, table: string[][]): Promise<{ imported: number; unchanged: number }> {
  if (!principal.roles.some((r) => IMPORT_ROLES.includes(r))) throw new ForbiddenError("当前角色无权导入申请");
  const now = deps.clock.now();
  const rows = checkImportRows(table, shanghaiDate(now));
  const claimKey = (r: ImportRow) => `import#${principal.agencyCode}#${r.reference}`;
  // a reference imported before: the same row is left as it is, a different one is refused
  const earlier = await Promise.all(rows.map((r) => deps.store.claims.get(claimKey(r))));
  const conflicts: FieldError[] = [];
  rows.forEach((r, i) => {
    if (earlier[i] && earlier[i]!.rowHash !== rowHash(r)) conflicts.push({ path: `rows.${r.line}.reference`, code: "already_imported", message: `第 ${r.line} 行 reference：编号 ${r.reference} 已导入，内容不同` });
  });
  if (conflicts.length) throw fail(conflicts);
  const fresh = rows.filter((_, i) => !earlier[i]);
  const actor = { kind: "staff" as const, username: principal.username, displayName: principal.displayName, role: principal.roles.find((r) => IMPORT_ROLES.includes(r))! };
  for (let i = 0; i < fresh.length; i += ROWS_PER_COMMIT) {
    const writes: Write[] = fresh.slice(i, i + ROWS_PER_COMMIT).flatMap((r) => {
      const caseId = deps.newId();
      const column = r.applicantType === "natural_person" ? "natural_person" : r.organizationKind!;
      const base = newCaseRecord(applicationWorkflow, {
        caseId,
        agencyCode: principal.agencyCode,
        reference: r.reference,
        now,
        createdOn: r.receivedOn,
        data: {
          imported: { at: now.toISOString(), byName: principal.displayName, line: r.line },
          trackingNumber: r.reference,
          channel: "letter",
          submittedOn: r.receivedOn,
          receivedOn: r.receivedOn,
          applicantColumn: column,
          application: { applicantType: r.applicantType, name: "系统上线前受理的申请", description: "导入" },
          attachments: [],
          consultations: [],
        },
      });
      const result = r.replyType ? { cell: resultCellOf(r.replyType, r.ground), replyType: r.replyType, ...(r.ground ? { ground: r.ground } : {}), closedOn: r.closedOn! } : undefined;
      const event = chainEvent(
        { caseId, seq: 1, at: now.toISOString(), actor, type: "application.imported", summary: `导入系统上线前的申请 ${r.reference}（${r.receivedOn} 收到${result ? `，${r.closedOn} 办结` : "，尚未办结"}）`, data: { line: r.line } },
        GENESIS_HASH,
      );
      const record = {
        ...base,
        status: result ? (r.replyType === "withdrawn" || r.replyType === "fee_unpaid" ? r.replyType : "replied") : "in_progress",
        flags: ["imported"],
        ...(result ? { result, closedAt: `${r.closedOn}T09:00:00.000Z` } : {}),
        version: 1,
        eventCount: 1,
        lastEventHash: event.hash,
      };
      return [
        { kind: "case" as const, record },
        { kind: "event" as const, event },
        { kind: "claim" as const, key: claimKey(r), value: { caseId, rowHash: rowHash(r) } },
      ];
    });
    try {
      await deps.store.commit(writes);
    } catch (error) {
      // a concurrent import of the same rows: what it stored stays, this one retries the rest on the next upload
      if (!(error instanceof ConcurrentChangeError)) throw error;
    }
  }
  logger.info("applications imported", { agencyCode: principal.agencyCode, imported: fresh.length, unchanged: rows.length - fresh.length });
  return { imported: fresh.length, unchanged: rows.length - fresh.length };
}

/** A CSV file's text: UTF-8, or GB18030 as Excel on Chinese Windows saves it. */
function csvText(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder("gb18030", { fatal: true }).decode(bytes);
    } catch {
      throw new ValidationError("IMPORT_INVALID", "无法读取文件", [{ path: "file", code: "unreadable", message: "文件不是 UTF-8 或 GBK 编码的 CSV 文本" }]);
    }
  }
}

/** The first worksheet of an .xlsx as rows of text (what the cells show). */
async function xlsxTable(bytes: Buffer): Promise<string[][]> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError("IMPORT_INVALID", "无法读取 .xlsx 文件", [{ path: "file", code: "unreadable", message: "文件不是有效的 .xlsx 工作簿" }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 7); c++) {
      const cell = row.getCell(c);
      // dates typed into Excel come back as Date objects: their calendar day as typed
      cells.push(cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : cell.text.trim());
    }
    while (cells.length > 7 && cells[cells.length - 1] === "") cells.pop();
    rows.push(cells);
  });
  return rows;
}

/** An uploaded spreadsheet as rows of text: `.xlsx` (its first worksheet) or CSV. */
export async function uploadedTable(name: string, bytes: Buffer): Promise<string[][]> {
  return /\.xlsx$/i.test(name) ? xlsxTable(bytes) : parseCsv(csvText(bytes));
}
