import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strFromU8, unzipSync } from "fflate";
import { startLocalProcess, removeDataDir, type LocalProcess, eventually } from "../support/local-process";
import { localApi, type LocalApi } from "../support/local-api";
import { documentBody, itemBody } from "../cases/publishing-workflow";
import { shanghaiDate } from "../../shared/domain/calendar";

/**
 * The publishing workflows over HTTP against the local stack as `npm start` runs it:
 * the staff API starts items and documents, reviewers complete tasks, the publish step's
 * Lambda takes the index number, and the public catalogue (page and JSON API) shows the
 * result; applications handled before the system are imported and the annual report read
 * in every format, also from the CLI. Then every queue message of the run is delivered
 * again and changes nothing.
 */
let stack: LocalProcess;
let api: LocalApi;
const agency = "001008010002002";
const VALID_ID = "11010519491231002X";

beforeAll(async () => {
  stack = await startLocalProcess();
  api = localApi(stack);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  if (stack) removeDataDir(stack.dataDir);
});

const bearer = async (u: string) => ({ authorization: `Bearer ${await api.token(u)}` });

async function start(user: string, path: string, body: Record<string, unknown>) {
  const res = await api.call("POST", path, body, await bearer(user));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { caseId: string; reference: string; status: string; screening?: { findings: Array<{ kind: string }> } };
}

async function step(user: string, caseId: string, name: string, input: Record<string, unknown>, expected = 200) {
  const res = await api.complete(user, caseId, name, input);
  expect(res.status, `${name}/${String(input.outcome)}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

/** The case once its publish step's Lambda has run. */
async function publishedIndex(caseId: string): Promise<string> {
  return eventually(async () => {
    const view = await api.caseView(caseId);
    return view.case.status === "published" ? (view.case.published?.indexNumber as string | undefined) : undefined;
  }, 15_000, `publication of ${caseId}`);
}

const entryPath = (indexNumber: string) => `/catalogue/${indexNumber}`;

type Listed = { indexNumber: string; title: string; documentNumber?: string };
/** The catalogue API's entries for a query, once `ready` holds of them. */
async function listed(query: string, ready: (entries: Listed[]) => boolean): Promise<Listed[]> {
  return eventually(async () => {
    const res = await api.call("GET", `/api/v1/catalogue?agency=${agency}&${query}`);
    expect(res.status).toBe(200);
    return ready(res.body.entries as Listed[]) ? (res.body.entries as Listed[]) : undefined;
  }, 25_000, `catalogue ${query}`);
}

describe("publishing over HTTP", () => {
  it("an item approved at every level is published: catalogue page and API, WeChat post recorded, approval form with every signer in HTML and .docx", async () => {
    const s = await start("officer", "/api/v1/publications", itemBody({ important: true, title: "关于调整不动产登记窗口的通知" }));
    await step("office", s.caseId, "recheck", { outcome: "approve", opinion: "同意" });
    await step("deputy", s.caseId, "leader_review", { outcome: "approve", opinion: "同意发布" });
    const indexNumber = await publishedIndex(s.caseId);
    expect(indexNumber).toMatch(/^001008010002002\/\d{4}-\d{6}$/);

    const page = await api.call("GET", entryPath(indexNumber));
    expect(page.status).toBe(200);
    expect(page.body).toContain("关于调整不动产登记窗口的通知");
    expect(page.body).toContain(indexNumber);
    // lists are read through a short per-process cache (shared/app/catalogue/read.ts): new entries show within seconds
    await listed(`q=${encodeURIComponent("不动产登记窗口")}`, (entries) => entries.some((e) => e.indexNumber === indexNumber));

    const form = await fetch(`${stack.baseUrl}/api/v1/cases/${s.caseId}/approval-form?format=html`, { headers: await bearer("office") });
    const formHtml = await form.text();
    const positions = ["信息员 周洁", "办公室 王敏", "分管领导 陈华"].map((n) => formHtml.indexOf(n));
    expect(positions.every((p, i) => p > 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
    const docx = await fetch(`${stack.baseUrl}/api/v1/cases/${s.caseId}/approval-form?format=docx`, { headers: await bearer("office") });
    expect(docx.headers.get("content-type")).toContain("wordprocessingml");
    const xml = strFromU8(unzipSync(new Uint8Array(await docx.arrayBuffer()))["word/document.xml"]!);
    const inDocx = ["信息员 周洁", "办公室 王敏", "分管领导 陈华"].map((n) => xml.indexOf(n));
    expect(inDocx.every((p, i) => p > 0 && (i === 0 || p > inDocx[i - 1]!))).toBe(true);
  });

  it("an item returned twice is approved on its third version, and the versions differ as revised", async () => {
    const s = await start("officer", "/api/v1/publications", itemBody({ channels: ["website"] }));
    await step("office", s.caseId, "recheck", { outcome: "return", note: "请写明楼层" });
    await step("officer", s.caseId, "revise", { outcome: "resubmit", title: itemBody().title, body: "窗口调整至三楼东侧。" });
    await step("office", s.caseId, "recheck", { outcome: "return", note: "请写明开放时间" });
    await step("officer", s.caseId, "revise", { outcome: "resubmit", title: itemBody().title, body: "窗口调整至三楼东侧，工作日9:00至17:00开放。" });
    await step("office", s.caseId, "recheck", { outcome: "approve" });
    await publishedIndex(s.caseId);
    const view = await api.caseView(s.caseId);
    expect(view.case.versions.map((v: { n: number; text: string }) => v.text)).toEqual([expect.stringContaining("不动产登记窗口"), "窗口调整至三楼东侧。", "窗口调整至三楼东侧，工作日9:00至17:00开放。"]);
  });

  it("an important item the deputy leader rejects never reaches the catalogue", async () => {
    const s = await start("officer", "/api/v1/publications", itemBody({ important: true, title: "尚未确定的调整方案" }));
    await step("office", s.caseId, "recheck", { outcome: "approve" });
    expect((await step("deputy", s.caseId, "leader_review", { outcome: "reject", reason: "方案尚未确定" })).status).toBe("rejected");
    const found = await api.call("GET", `/api/v1/catalogue?agency=${agency}&q=${encodeURIComponent("尚未确定的调整方案")}`);
    expect(found.body.entries).toEqual([]);
  });

  it("an item with a valid resident ID number cannot be published until redacted; the published page shows ■ in its place", async () => {
    const s = await start("officer", "/api/v1/publications", itemBody({ title: "补助发放公示", body: `<p>领取人张三，身份证号 ${VALID_ID}。</p>` }));
    expect(s.screening!.findings.map((f) => f.kind)).toEqual(["resident_id"]);
    const refused = await api.complete("office", s.caseId, "recheck", { outcome: "approve" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("SCREENING_FINDINGS");
    await step("office", s.caseId, "recheck", { outcome: "redact", passages: [VALID_ID], reason: "个人隐私" });
    await step("office", s.caseId, "recheck", { outcome: "approve" });
    const page = await api.call("GET", entryPath(await publishedIndex(s.caseId)));
    expect(page.body).not.toContain(VALID_ID);
    expect(page.body).toContain("■".repeat(VALID_ID.length));
  });

  it("a document marked 不予公开 never reaches the catalogue; a proactive one is published and found in the month's reconciliation", async () => {
    const secret = await start("section", "/api/v1/documents", documentBody({ title: "内部考核办法", disclosureAttribute: "not_public", reason: "内部管理信息" }));
    const open = await start("section", "/api/v1/documents", documentBody({ title: "窗口服务规范" }));
    const today = shanghaiDate(new Date((await api.call("GET", "/api/v1/local/clock")).body.now as string));
    for (const [d, attribute, number] of [[secret, "not_public", "黄行服〔2026〕21号"], [open, "proactive", "黄行服〔2026〕22号"]] as const) {
      await step("director", d.caseId, "classify", { outcome: "cleared" });
      await step("office", d.caseId, "check_attribute", { outcome: "confirmed", attribute, ...(attribute === "proactive" ? {} : { reason: "内部管理信息" }) });
      await step("deputy", d.caseId, "sign", { outcome: "signed" });
      await step("office", d.caseId, "issue", { outcome: "issued", documentNumber: number, issuedOn: today });
    }
    expect((await api.caseView(secret.caseId)).case.status).toBe("filed");
    await step("office", open.caseId, "publish_document", { outcome: "published", column: "policy" });
    const entries = await listed("column=policy", (list) => list.length > 0);
    expect(entries.map((e) => [e.title, e.documentNumber])).toEqual([["窗口服务规范", "黄行服〔2026〕22号"]]);

    // the 1st of next month: the reconciler opens the month's comparison for the office
    const [y, m] = today.split("-").map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
    expect((await api.call("POST", "/api/v1/local/clock", { to: `${next}T09:00` })).status).toBe(200);
    await api.idle();
    const task = await eventually(async () => {
      const res = await api.call("GET", "/api/v1/tasks?status=open", undefined, await bearer("office"));
      return (res.body as Array<{ step: string; caseId: string }>).find((t) => t.step === "reconcile");
    }, 15_000, "the reconciliation task");
    const rc = await api.caseView(task.caseId);
    expect(rc.case.month).toBe(today.slice(0, 7));
    expect(rc.case.issued.map((d: { documentNumber: string; indexNumber?: string }) => [d.documentNumber, d.indexNumber ?? null])).toEqual([
      ["黄行服〔2026〕21号", null],
      ["黄行服〔2026〕22号", entries[0]!.indexNumber],
    ]);
    expect(rc.case.discrepancies).toEqual([]);
    await step("office", task.caseId, "reconcile", { outcome: "recorded", paperCheck: "纸质文件2件，与系统一致" });
    expect((await api.caseView(task.caseId)).case.status).toBe("recorded");
  });

  it("a withdrawn item keeps its page with a public note and no body", async () => {
    const s = await start("officer", "/api/v1/publications", itemBody({ title: "临时停电通知", channels: ["website"] }));
    await step("office", s.caseId, "recheck", { outcome: "approve" });
    const indexNumber = await publishedIndex(s.caseId);
    const change = await start("office", "/api/v1/catalogue-changes", { indexNumber, action: "withdraw", note: "停电计划取消" });
    await step("deputy", change.caseId, "approve_change", { outcome: "approve" });
    const page = await api.call("GET", entryPath(indexNumber));
    expect(page.status).toBe(200);
    expect(page.body).toContain("已撤回");
    expect(page.body).toContain("停电计划取消");
    expect(page.body).not.toContain("不动产登记窗口");
  });

  it("refuses a publication without a valid field and one from a role that may not submit", async () => {
    const bad = await api.call("POST", "/api/v1/publications", { title: "", body: "x", channels: [] }, await bearer("officer"));
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(["title", "channels"]));
    const forbidden = await api.call("POST", "/api/v1/publications", itemBody(), await bearer("auditor"));
    expect(forbidden.status).toBe(403);
  });

  it("imports earlier applications (CSV, and .xlsx as a file), refuses a bad row by line and column, and reports the year in every format", async () => {
    const header = "reference,receivedOn,applicantType,organizationKind,replyType,ground,closedOn";
    const csv = `${header}\r\nQQ-2026-001,2026-02-03,natural_person,,disclosed,,2026-02-20\r\nQQ-2026-002,2026-03-10,organization,commercial,,,\r\n`;
    const office = await bearer("office");
    const imported = await api.call("POST", "/api/v1/imports/applications", csv, { ...office, "content-type": "text/csv" });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body).toEqual({ imported: 2, unchanged: 0 });
    const bad = await api.call("POST", "/api/v1/imports/applications", `${header}\r\nQQ-2026-003,2026-02-30,natural_person,,disclosed,,2026-03-01\r\n`, { ...office, "content-type": "text/csv" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([expect.objectContaining({ path: "rows.2.receivedOn" })]);

    const { default: ExcelJS } = await import("exceljs");
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("申请");
    sheet.addRow(header.split(","));
    sheet.addRow(["QQ-2025-090", "2025-12-15", "organization", "research", "not_processed", "repeated", "2026-01-12"]);
    const form = new FormData();
    form.append("file", new Blob([Buffer.from(await book.xlsx.writeBuffer())]), "上线前申请.xlsx");
    const xlsxImport = await fetch(`${stack.baseUrl}/api/v1/imports/applications`, { method: "POST", headers: office, body: form });
    expect(xlsxImport.status).toBe(201);
    expect(await xlsxImport.json()).toEqual({ imported: 1, unchanged: 0 });

    const report = await api.call("GET", "/api/v1/reports/annual?agency=001008010002002&year=2026&format=json", undefined, office);
    expect(report.status).toBe(200);
    const row = (label: string) => (report.body.applications.rows as Array<{ label: string; values: number[] }>).find((r) => r.label === label)!.values;
    expect(row("一、本年新收政府信息公开申请数量")).toEqual([1, 1, 0, 0, 0, 0, 2]);
    expect(row("二、上年结转政府信息公开申请数量")).toEqual([0, 0, 1, 0, 0, 0, 1]);
    expect(row("2.重复申请")).toEqual([0, 0, 1, 0, 0, 0, 1]);
    expect(row("四、结转下年度继续办理")).toEqual([0, 1, 0, 0, 0, 0, 1]);

    const xlsx = await fetch(`${stack.baseUrl}/api/v1/reports/annual?year=2026&format=xlsx`, { headers: office });
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(await xlsx.arrayBuffer());
    const texts: string[] = [];
    read.worksheets[0]!.eachRow((r) => texts.push(r.values.toString()));
    expect(texts.join("\n")).toContain("四、结转下年度继续办理");
    // the text sections: an edit over the API, then in the workbook's 文字部分 sheet
    const saved = await api.call("POST", "/api/v1/reports/annual/narrative", { year: 2026, sections: { problems: "答复文书格式还需统一。" } }, office);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const narrative = await api.call("GET", "/api/v1/reports/annual/narrative?year=2026", undefined, office);
    expect(narrative.body.sections.find((x: { key: string }) => x.key === "applications").text).toContain("本年度新收政府信息公开申请 2 件，上年结转 1 件");
    const withText = new ExcelJS.Workbook();
    await withText.xlsx.load(await (await fetch(`${stack.baseUrl}/api/v1/reports/annual?year=2026&format=xlsx`, { headers: office })).arrayBuffer());
    const sheetTexts: string[] = [];
    withText.getWorksheet("文字部分")!.eachRow((r) => sheetTexts.push(String(r.getCell(1).value)));
    expect(sheetTexts).toEqual(expect.arrayContaining(["五、存在的主要问题及改进情况", "答复文书格式还需统一。", "六、其他需要报告的事项"]));
    for (const format of ["csv", "html"]) {
      const res = await fetch(`${stack.baseUrl}/api/v1/reports/annual?year=2026&format=${format}`, { headers: office });
      expect(res.status, format).toBe(200);
      expect(await res.text(), format).toContain("二、上年结转政府信息公开申请数量");
    }
    // and from the command line, against the running stack
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const env = { ...process.env, GONGKAI_DATA_DIR: stack.dataDir, TABLE_NAME: "", AWS_ENDPOINT_URL_DYNAMODB: "" };
    delete (env as Record<string, string | undefined>).TABLE_NAME;
    const cli = await promisify(execFile)(process.execPath, ["bin/gongkai.mjs", "report", "annual", "--agency", "001008010002002", "--year", "2026"], { env, timeout: 60_000 });
    expect(JSON.parse(cli.stdout).applications.rows).toEqual(report.body.applications.rows);
  });

  it("changes nothing when every message of the run is delivered again", async () => {
    await api.idle();
    const before = await api.state(/^(CASE|CATALOGUE|CLAIM)#/);
    const mailsBefore = (await api.mail()).length;
    expect(await api.replayDelivered()).toBeGreaterThan(30);
    await api.idle(60_000);
    expect(await api.state(/^(CASE|CATALOGUE|CLAIM)#/)).toEqual(before);
    expect((await api.mail()).length).toBe(mailsBefore);
  });
});
