import { describe, expect, it } from "vitest";
import { consolePageRoutes } from "../../../functions/http/staff-console";
import { publishingCaseNotice, publishingPageRoutes } from "../../../shared/http/publishing-pages";
import { DEMO_PASSWORD } from "../../../shared/app/seed-demo";
import { viewCaseAsStaff } from "../../../shared/app/views/case";
import { openReconciliation } from "../../../shared/app/publishing/reconcile";
import { renderCasePage } from "../../../shared/ui/console/case";
import { memoryHarness, type MemoryHarness } from "../../support/harness";
import { consoleBrowser, csrfOf, type Jar, type MultipartPart } from "../../support/console-browser";

/**
 * The console's publishing pages driven as a browser drives them: sign in, read the form's
 * CSRF token, post (url-encoded or multipart), follow the redirect to the case page. The
 * workflow's other steps are worked through the use cases (harness `complete`, `settle`).
 * The harness clock stands at Monday 2026-03-02, 09:30 Beijing time.
 */

const CODE = "001008010002002";
/** a valid resident ID number (check digit X) */
const RESIDENT_ID = "11010519491231002X";
/** the smallest PNG: one transparent pixel */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

const browser = (h: MemoryHarness) => consoleBrowser([...publishingPageRoutes(() => h.deps), ...consolePageRoutes(() => h.deps)]);

/** What a person reads: tags (and attribute values such as datetime) removed. */
const visible = (page: string) =>
  page
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

async function setup() {
  const h = await memoryHarness();
  const send = browser(h);
  async function signedIn(username: string) {
    const jar: Jar = new Map();
    const login = await send("GET", "/console/login", { jar });
    const res = await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: CODE, username, password: DEMO_PASSWORD, next: "/console/inbox" } });
    expect(res.status).toBe(303);
    const get = (url: string) => send("GET", url, { jar });
    const post = (url: string, form: Record<string, string>) => send("POST", url, { jar, form });
    const postMultipart = (url: string, parts: MultipartPart[]) => send("POST", url, { jar, multipart: parts });
    return { jar, get, post, postMultipart };
  }
  return { h, send, signedIn };
}

const caseIdOf = (location: string | undefined) => /^\/console\/cases\/([0-9A-Z]{26})\?submitted=1$/.exec(location ?? "")?.[1] ?? "";

/** The officer submits an item through the url-encoded form; the recheck task is open after. */
async function submitItem(s: Awaited<ReturnType<typeof setup>>, fields: Record<string, string>) {
  const officer = await s.signedIn("officer");
  const form = await officer.get("/console/publications/new");
  const res = await officer.post("/console/publications/new", { csrfToken: csrfOf(form.body), "channels.website": "yes", column: "notices", section: "综合科", ...fields });
  expect(res.status).toBe(303);
  const caseId = caseIdOf(res.headers.location);
  expect(caseId).not.toBe("");
  await s.h.settle();
  return { officer, caseId };
}

/** The completion forms of one outcome on a case page: [taskId, the form's markup]. */
function outcomeForm(page: string, outcome: string): { taskId: string; form: string } {
  const forms = [...page.matchAll(/<form method="post" action="\/console\/tasks\/([^/]+)\/complete"[\s\S]*?<\/form>/g)];
  const found = forms.find((m) => m[0].includes(`name="outcome" value="${outcome}"`));
  expect(found, `a form for ${outcome}`).toBeDefined();
  return { taskId: decodeURIComponent(found![1]!), form: found![0] };
}

describe("报送信息 (/console/publications/new)", () => {
  it("shows the form with the session's CSRF token, multipart, the channels, columns and the 重要内容 hint; the nav has it for the info officer", async () => {
    const s = await setup();
    const officer = await s.signedIn("officer");
    const page = await officer.get("/console/publications/new");
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form method="post" action="/console/publications/new" enctype="multipart/form-data"');
    expect(csrfOf(page.body)).not.toBe("");
    expect(page.body).toContain('name="channels.website" value="yes" id="f-channels" checked');
    expect(page.body).toContain('name="channels.wechat" value="yes" id="f-channels-wechat"');
    expect(page.body).toContain("门户网站");
    expect(page.body).toContain("微信公众号");
    expect(page.body).toContain('<option value="notices">通知公告</option>');
    expect(page.body).toContain("重要内容报分管领导审核");
    expect(page.body).toMatch(/<input type="file" id="f-images" name="images" accept="[^"]*image\/png[^"]*" multiple/);
    expect(page.body).toMatch(/<input type="file" id="f-attachments" name="attachments" accept="[^"]*" multiple/);
    expect(page.body).toContain('<a href="/console/publications/new" aria-current="page">报送信息</a>');
    // what the info officer may not use is not offered
    expect(page.body).not.toContain('href="/console/documents/new"');
    expect(page.body).not.toContain('href="/console/settings/site"');
  });

  it("posts url-encoded and lands on the case page with the resident ID number marked where it is, listed as a finding", async () => {
    const s = await setup();
    const { officer, caseId } = await submitItem(s, { title: "关于困难群众救助情况的公示", body: `第一段说明。\r\n救助对象张某，身份证号码${RESIDENT_ID}，已核实。`, important: "yes" });
    const page = await officer.get(`/console/cases/${caseId}?submitted=1`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("<h1>信息 XX-2026-00001</h1>");
    expect(page.body).toMatch(new RegExp(`<mark class="finding"><span class="vh">【筛查发现 1：居民身份证号码】</span>${RESIDENT_ID}</mark><sup><a href="#finding-1"`));
    expect(page.body).toContain('<tr id="finding-1" class="discrepancy">');
    const text = visible(page.body);
    expect(text).toContain(`1 居民身份证号码 ${RESIDENT_ID} 正文 待处理`);
    expect(text).toMatch(/共发现 1 处，\s*其中 1 处待处理/);
    expect(text).toContain("稿次 第 1 稿（信息员 周洁， 2026-03-02 09:30 ）");
    expect(text).toContain("信息员 信息员 周洁");
    expect(text).toContain("报送科室 综合科");
    expect(text).toContain("发布渠道 门户网站");
    expect(text).toContain("目录栏目 通知公告");
    expect(text).toContain("是否重要内容 是（报分管领导审核）");
    expect(text).toContain("办理状态 待办公室复核");
    // line breaks of the text are kept
    expect(page.body).toContain("第一段说明。<br>救助对象");
    // Beijing time and names, never an ISO instant or a username
    expect(text).toContain("2026-03-02 09:30");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).not.toMatch(/\bofficer\b/);
    // the officer waits; the office's recheck forms are not hers
    expect(text).toContain("当前环节“办公室复核”由办公室办理");
    expect(page.body).not.toContain('name="outcome" value="approve"');
    // no receipt date or letters: not an application
    expect(text).not.toContain("收到申请日期");
    expect(text).not.toContain("申请编号");

    // the office sees the recheck forms, the passages hint and the prefilled redaction
    const office = await s.signedIn("office");
    const review = await office.get(`/console/cases/${caseId}`);
    const redact = outcomeForm(review.body, "redact").form;
    expect(redact).toContain("须与标题或正文中的文字逐字一致");
    expect(redact).toContain(`>${RESIDENT_ID}</textarea>`);
    expect(outcomeForm(review.body, "approve").form).toContain("本稿尚有 1 处筛查发现待处理");
  });

  it("after the redirect the case page says it was submitted, with the number and what screening found", async () => {
    const s = await setup();
    const { caseId } = await submitItem(s, { title: "公示", body: `身份证号码${RESIDENT_ID}` });
    const principal = await s.h.signIn("officer");
    const view = await viewCaseAsStaff(s.h.deps, principal, caseId);
    const notice = publishingCaseNotice({ query: new URLSearchParams("submitted=1") }, view);
    expect(publishingCaseNotice({ query: new URLSearchParams("") }, view)).toBeUndefined();
    const page = renderCasePage({ user: { displayName: principal.displayName, roles: principal.roles, agencyName: principal.agencyName, csrfToken: principal.csrfToken }, view, notice });
    expect(visible(page)).toContain("已报送，编号 XX-2026-00001 。");
    expect(visible(page)).toContain("内容筛查发现 1 处需处理");
  });

  it("posts multipart with a PNG and a text attachment: the files are stored and listed, the attachment screened", async () => {
    const s = await setup();
    const officer = await s.signedIn("officer");
    const csrfToken = csrfOf((await officer.get("/console/publications/new")).body);
    const res = await officer.postMultipart("/console/publications/new", [
      { name: "csrfToken", value: csrfToken },
      { name: "title", value: "春季植树活动" },
      { name: "body", value: "<p>全体干部参加植树活动。</p><script>alert(1)</script>" },
      { name: "channels.website", value: "yes" },
      { name: "channels.wechat", value: "yes" },
      { name: "column", value: "work" },
      { name: "images", file: { filename: "现场照片.png", type: "image/png", bytes: PNG } },
      { name: "attachments", file: { filename: "名单.txt", type: "text/plain", bytes: Buffer.from("联系人手机 13812345678", "utf8") } },
      // an empty file input sends an empty part: no file
      { name: "attachments", file: { filename: "", type: "application/octet-stream", bytes: Buffer.alloc(0) } },
    ]);
    expect(res.status).toBe(303);
    const caseId = caseIdOf(res.headers.location);
    await s.h.settle();
    const stored = (await s.h.deps.store.cases.get(caseId))!.data as { versions: Array<{ images: Array<{ key: string }>; attachments: Array<{ key: string }>; bodyHtml: string }>; channels: string[] };
    expect(stored.channels).toEqual(["website", "wechat"]);
    const v = stored.versions[0]!;
    expect(v.images).toHaveLength(1);
    expect(v.attachments).toHaveLength(1);
    expect(v.bodyHtml).not.toContain("script");
    expect(Buffer.from((await s.h.deps.files.get(v.images[0]!.key))!.body).equals(PNG)).toBe(true);
    const page = await officer.get(`/console/cases/${caseId}`);
    const text = visible(page.body);
    expect(text).toContain("现场照片.png（PNG，1 KB）");
    expect(text).toContain("名单.txt（TXT，1 KB）");
    expect(text).toContain("发布渠道 门户网站、微信公众号");
    expect(text).toContain("13812345678 附件「名单.txt」 待处理");
  });

  it("a refused form comes back 400 naming each field, linked, with what was typed kept and the files to choose again", async () => {
    const s = await setup();
    const officer = await s.signedIn("officer");
    const csrfToken = csrfOf((await officer.get("/console/publications/new")).body);
    const res = await officer.postMultipart("/console/publications/new", [
      { name: "csrfToken", value: csrfToken },
      { name: "title", value: "" },
      { name: "body", value: "正文第一行\r\n第二行 <保留>" },
      { name: "section", value: "综合科" },
      { name: "important", value: "yes" },
      { name: "images", file: { filename: "不是图片.png", type: "image/png", bytes: Buffer.from("plain text, not a PNG") } },
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toContain("<title>错误：报送信息");
    expect(res.body).toContain('<a href="#f-title">请填写标题</a>');
    expect(res.body).toContain('<a href="#f-channels">请选择发布渠道（门户网站、微信公众号），至少选择一个</a>');
    expect(res.body).toContain('<a href="#f-images">图片「不是图片.png」应为 JPEG 或 PNG</a>');
    expect(res.body).toContain("正文第一行\n第二行 &lt;保留&gt;</textarea>");
    expect(res.body).toContain('id="f-section" name="section" value="综合科"');
    expect(res.body).toMatch(/id="f-important" name="important" value="yes" checked/);
    // no channel was ticked: none is ticked again
    expect(res.body).not.toMatch(/name="channels.website" value="yes" id="f-channels" checked/);
    expect(res.body).toContain("请重新选择图片和附件");
    expect(res.body).toContain(`name="csrfToken" value="${csrfToken}"`);
    expect(await s.h.deps.store.cases.listOpen(CODE)).toHaveLength(0);
  });

  it("refuses a forged CSRF token, url-encoded or multipart, and stores nothing", async () => {
    const s = await setup();
    const officer = await s.signedIn("officer");
    const form = { csrfToken: "forged", title: "标题", body: "正文", "channels.website": "yes", column: "work" };
    const res = await officer.post("/console/publications/new", form);
    expect(res.status).toBe(403);
    expect(res.body).toContain("页面已过期");
    const multi = await officer.postMultipart("/console/publications/new", Object.entries(form).map(([name, value]) => ({ name, value })));
    expect(multi.status).toBe(403);
    expect(await s.h.deps.store.cases.listOpen(CODE)).toHaveLength(0);
    // no number was used up either
    const ok = await submitItem(s, { title: "标题", body: "正文" });
    expect((await s.h.deps.store.cases.get(ok.caseId))!.reference).toBe("XX-2026-00001");
  });

  it("is refused (403) inside the console to a role that does not submit items, and sends a signed-out visitor to sign in", async () => {
    const s = await setup();
    const section = await s.signedIn("section");
    const page = await section.get("/console/publications/new");
    expect(page.status).toBe(403);
    expect(page.body).toContain("无权访问");
    const post = await section.post("/console/publications/new", { csrfToken: csrfOf(page.body), title: "标题", body: "正文", "channels.website": "yes" });
    expect(post.status).toBe(403);
    const officer = await s.signedIn("officer");
    expect((await officer.get("/console/documents/new")).status).toBe(403);
    const anonymous = await s.send("GET", "/console/publications/new");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/console/login?next=${encodeURIComponent("/console/publications/new")}`);
  });
});

describe("the item's case page through review", () => {
  it("a returned item resubmitted from its prefilled form shows what changed between the two versions", async () => {
    const s = await setup();
    const { officer, caseId } = await submitItem(s, { title: "关于开展春季植树活动的通知", body: "定于今天下午三点在东山集合。\r\n请各科室按时参加。" });
    await s.h.complete("office", caseId, "recheck", { outcome: "return", note: "时间写明具体日期" });
    const returned = await officer.get(`/console/cases/${caseId}`);
    expect(visible(returned.body)).toContain("时间写明具体日期");
    const { taskId, form } = outcomeForm(returned.body, "resubmit");
    expect(form).toContain('value="关于开展春季植树活动的通知"');
    expect(form).toContain(">定于今天下午三点在东山集合。\n请各科室按时参加。</textarea>");
    expect(form).toContain("已预填第 1 稿的正文");
    const res = await officer.post(`/console/tasks/${encodeURIComponent(taskId)}/complete`, {
      csrfToken: csrfOf(returned.body),
      taskId,
      outcome: "resubmit",
      title: "关于开展春季植树活动的通知",
      body: "定于3月12日上午九点在东山集合。\r\n请各科室按时参加。",
      note: "已写明日期",
    });
    expect(res.status).toBe(303);
    await s.h.settle();
    const office = await s.signedIn("office");
    const page = await office.get(`/console/cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("第 1 版与第 2 版的差异");
    expect(page.body).toContain('定于<del><span class="vh">删除：</span>今天下午三</del><ins><span class="vh">新增：</span>3月12日上午九</ins>点在东山集合。');
    const text = visible(page.body);
    expect(text).toContain("信息内容（第 2 稿）");
    expect(text).toContain("第 1 稿：时间写明具体日期（办公室 王敏，办公室");
    expect(text).toContain("第 2 稿 关于开展春季植树活动的通知 信息员 周洁");
    expect(text).toContain("办理状态 待办公室复核");
  });

  it("a published item shows its index number linking to the catalogue page, and the approval form links", async () => {
    const s = await setup();
    const { caseId } = await submitItem(s, { title: "2026年春季植树活动", body: "全体干部参加植树活动。" });
    await s.h.complete("office", caseId, "recheck", { outcome: "approve", opinion: "同意发布" });
    const office = await s.signedIn("office");
    const page = await office.get(`/console/cases/${caseId}`);
    expect(visible(page.body)).toContain("办理状态 已发布");
    const indexNumber = `${CODE}/2026-000001`;
    expect(page.body).toContain(`<a href="/catalogue/${indexNumber}" id="index-number">${indexNumber}</a>`);
    expect(page.body).toContain(`href="/api/v1/cases/${caseId}/approval-form?format=html">打印审批表</a>`);
    expect(page.body).toContain(`href="/api/v1/cases/${caseId}/approval-form?format=docx">下载 Word`);
    expect(page.body).toContain(`href="/console/catalogue-changes/new?indexNumber=${encodeURIComponent(indexNumber)}"`);
    expect(visible(page.body)).toContain("办公室复核 办公室 已办结");
  });
});

describe("报送公文 (/console/documents/new)", () => {
  it("asks for the reason unless 主动公开, keeping what was typed", async () => {
    const s = await setup();
    const section = await s.signedIn("section");
    const form = await section.get("/console/documents/new");
    expect(form.status).toBe(200);
    expect(form.body).toContain('<a href="/console/documents/new" aria-current="page">报送公文</a>');
    expect(form.body).toContain('name="disclosureAttribute" value="proactive" id="f-disclosureAttribute"');
    const res = await section.post("/console/documents/new", { csrfToken: csrfOf(form.body), title: "关于印发内部考勤制度的通知", body: "正文", disclosureAttribute: "not_public", reason: "" });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<a href="#f-reason">请填写不公开的理由</a>');
    expect(res.body).toMatch(/name="disclosureAttribute" value="not_public" id="[^"]+" checked/);
    const missing = await section.post("/console/documents/new", { csrfToken: csrfOf(form.body), title: "标题", body: "正文" });
    expect(missing.body).toContain('<a href="#f-disclosureAttribute">请选择拟定公开属性：主动公开、依申请公开或不予公开</a>');
  });

  it("the document's case page shows the proposed and the reviewed attribute, the classification, and the approval form links", async () => {
    const s = await setup();
    const section = await s.signedIn("section");
    const csrfToken = csrfOf((await section.get("/console/documents/new")).body);
    const res = await section.postMultipart("/console/documents/new", [
      { name: "csrfToken", value: csrfToken },
      { name: "title", value: "关于印发内部考勤制度的通知" },
      { name: "body", value: "各科室：现将考勤制度印发给你们。" },
      { name: "disclosureAttribute", value: "on_application" },
      { name: "reason", value: "属于内部管理信息" },
      { name: "section", value: "人事科" },
    ]);
    expect(res.status).toBe(303);
    const caseId = caseIdOf(res.headers.location);
    await s.h.settle();
    await s.h.complete("director", caseId, "classify", { outcome: "cleared", note: "不涉密" });
    const director = await s.signedIn("director");
    const page = await director.get(`/console/cases/${caseId}`);
    expect(page.status).toBe(200);
    const text = visible(page.body);
    expect(page.body).toContain("<h1>公文 GW-2026-00001</h1>");
    expect(text).toContain("拟稿科室 人事科");
    expect(text).toContain("拟稿人 科室负责人 吴涛");
    expect(text).toContain("拟定公开属性 依申请公开（属于内部管理信息）");
    expect(text).toContain("审定公开属性 依申请公开（属于内部管理信息）");
    expect(text).toContain("定密审核 审查通过，可以公开；意见：不涉密（2026-03-02）");
    expect(text).toContain("办理状态 待审核公开属性");
    expect(page.body).toContain(`/api/v1/cases/${caseId}/approval-form?format=html`);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });
});

describe("更正或撤回 (/console/catalogue-changes/new)", () => {
  it("shows the entry's current title, takes a correction and its case page shows the diff", async () => {
    const s = await setup();
    const { caseId } = await submitItem(s, { title: "植树活动通知", body: "定于3月12日集合。" });
    await s.h.complete("office", caseId, "recheck", { outcome: "approve" });
    const indexNumber = `${CODE}/2026-000001`;
    const office = await s.signedIn("office");
    const form = await office.get(`/console/catalogue-changes/new?indexNumber=${encodeURIComponent(indexNumber)}`);
    expect(form.status).toBe(200);
    expect(visible(form.body)).toContain("标题 植树活动通知");
    expect(form.body).toContain(">定于3月12日集合。</textarea>");
    const res = await office.post("/console/catalogue-changes/new", {
      csrfToken: csrfOf(form.body),
      indexNumber,
      action: "correct",
      note: "集合日期有误，已更正",
      title: "植树活动通知",
      body: "定于3月13日集合。",
    });
    expect(res.status).toBe(303);
    const changeId = caseIdOf(res.headers.location);
    await s.h.settle();
    const page = await office.get(`/console/cases/${changeId}`);
    expect(page.status).toBe(200);
    const text = visible(page.body);
    expect(text).toContain("办理事项 更正");
    expect(text).toContain("更正说明 集合日期有误，已更正");
    expect(text).toContain("原标题 植树活动通知");
    expect(page.body).toContain("更正前后对比");
    expect(page.body).toContain('定于3月1<del><span class="vh">删除：</span>2</del><ins><span class="vh">新增：</span>3</ins>日集合。');

    // the deputy leader approves it from the case page; the entry is corrected
    const deputy = await s.signedIn("deputy");
    const review = await deputy.get(`/console/cases/${changeId}`);
    const approve = outcomeForm(review.body, "approve");
    expect(review.body).not.toContain("请通过审批页面或 API 办理");
    const approved = await deputy.post(`/console/tasks/${encodeURIComponent(approve.taskId)}/complete`, { csrfToken: csrfOf(review.body), taskId: approve.taskId, outcome: "approve", opinion: "同意更正" });
    expect(approved.status).toBe(303);
    await s.h.settle();
    const entry = (await s.h.deps.store.catalogue.get(CODE, indexNumber))!;
    expect(entry.text).toBe("定于3月13日集合。");
    expect(entry.revision).toBe(2);
    expect(visible((await deputy.get(`/console/cases/${changeId}`)).body)).toContain("办理状态 已更正或撤回");

    const unknown = await office.get(`/console/catalogue-changes/new?indexNumber=${encodeURIComponent(`${CODE}/2026-000099`)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('<a href="#f-indexNumber">本机关目录中没有这个索引号</a>');
  });
});

/** Ids used by in-page links (#id) and label[for] all exist, and no id appears twice. */
function assertIdsConsistent(page: string) {
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [, target] of page.matchAll(/href="#([^"]+)"/g)) expect(ids).toContain(target);
  for (const [, target] of page.matchAll(/<label for="([^"]+)"/g)) expect(ids).toContain(target);
}

describe("the item's screening, redaction and secrecy record", () => {
  it("a redacted passage shows as ■ with its record; an overridden finding with the reason and who let it through", async () => {
    const s = await setup();
    const { caseId } = await submitItem(s, { title: "救助公示", body: `对象甲，身份证号码${RESIDENT_ID}。对象乙，手机13812345678。` });
    await s.h.complete("office", caseId, "recheck", { outcome: "redact", passages: RESIDENT_ID, reason: "涉及个人隐私" });
    const office = await s.signedIn("office");
    const page = await office.get(`/console/cases/${caseId}`);
    const text = visible(page.body);
    expect(text).toContain(`对象甲，身份证号码${"■".repeat(RESIDENT_ID.length)}。`);
    expect(text).toContain(`1 居民身份证号码 ${RESIDENT_ID} 正文 已删除（区分处理）`);
    expect(text).toContain(`2 手机号码 13812345678 正文 待处理`);
    expect(text).toContain(`第 1 稿 ${RESIDENT_ID} 涉及个人隐私 办公室 王敏`);
    assertIdsConsistent(page.body);

    await s.h.complete("office", caseId, "recheck", { outcome: "approve", overrideReason: "本人同意公开联系电话" });
    const after = visible((await office.get(`/console/cases/${caseId}`)).body);
    expect(after).toMatch(/2 手机号码 13812345678 正文 已放行：本人同意公开联系电话（办公室 王敏，办公室， 2026-03-02 09:30 ）/);
    expect(after).toContain("办理状态 已发布");
  });

  it("the secrecy chain's record: each level's decision with the person, time and opinion, and the consultation asked", async () => {
    const s = await setup();
    const { caseId } = await submitItem(s, { title: "项目招标结果公示", body: "中标单位为某公司。" });
    await s.h.complete("office", caseId, "recheck", { outcome: "request_secrecy_review", note: "涉及商业信息" });
    await s.h.complete("section", caseId, "secrecy_initial", { outcome: "cleared", note: "初审无涉密内容" });
    await s.h.complete("director", caseId, "secrecy_office", { outcome: "consult", kind: "third_party", party: "某公司", matters: "中标金额是否属于商业秘密" });
    const director = await s.signedIn("director");
    const page = await director.get(`/console/cases/${caseId}`);
    const text = visible(page.body);
    expect(text).toContain("办理状态 保密审查中");
    expect(text).toContain("审查情况 审查中：保密审查·办公室审查");
    expect(text).toMatch(/保密审查·科室初审 科室负责人 吴涛（科室负责人） 2026-03-02 09:30 通过 初审无涉密内容/);
    expect(text).toMatch(/保密审查·办公室审查 办公室主任 李强（办公室主任） 2026-03-02 09:30 书面征求意见 某公司/);
    expect(text).toContain("第三方：某公司 中标金额是否属于商业秘密 2026-03-02 等待答复");
    expect(text).not.toMatch(/\b(section|director)\b/);
    assertIdsConsistent(page.body);
  });

  it("escapes what people typed: a hostile title and body stay text", async () => {
    const s = await setup();
    const hostile = `"><script>alert(1)</script><img src=x onerror=alert(1)>`;
    const { officer, caseId } = await submitItem(s, { title: `标题${hostile}`, body: `正文 ${RESIDENT_ID} &lt;b&gt;` });
    await s.h.complete("office", caseId, "recheck", { outcome: "return", note: hostile });
    const page = (await officer.get(`/console/cases/${caseId}`)).body;
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain("&lt;script&gt;");
    assertIdsConsistent(page);
  });
});

describe("a document through issue, publication and the month's reconciliation", () => {
  it("the office publishes it from the case page (column prefilled), and the reconciliation lists it; an unpublished one is a discrepancy", async () => {
    const s = await setup();
    const section = await s.signedIn("section");
    async function issuedDocument(title: string, documentNumber: string) {
      const csrfToken = csrfOf((await section.get("/console/documents/new")).body);
      const res = await section.post("/console/documents/new", { csrfToken, title, body: `${title}正文。`, disclosureAttribute: "proactive", column: "normative" });
      const caseId = caseIdOf(res.headers.location);
      await s.h.settle();
      await s.h.complete("director", caseId, "classify", { outcome: "cleared" });
      await s.h.complete("office", caseId, "check_attribute", { outcome: "confirmed", attribute: "proactive" });
      await s.h.complete("deputy", caseId, "sign", { outcome: "signed" });
      await s.h.complete("office", caseId, "issue", { outcome: "issued", documentNumber, issuedOn: "2026-03-02" });
      return caseId;
    }
    const published = await issuedDocument("关于规范行政审批的通知", "黄行服〔2026〕1号");
    const pending = await issuedDocument("关于调整窗口时间的通知", "黄行服〔2026〕2号");

    const office = await s.signedIn("office");
    const page = await office.get(`/console/cases/${published}`);
    expect(visible(page.body)).toContain("文号 黄行服〔2026〕1号");
    expect(visible(page.body)).toContain("印发日期 2026-03-02");
    const { taskId, form } = outcomeForm(page.body, "published");
    expect(form).toMatch(/name="column" value="normative"/);
    expect(form).toContain("已预填拟稿时选择的栏目（行政规范性文件）");
    const res = await office.post(`/console/tasks/${encodeURIComponent(taskId)}/complete`, { csrfToken: csrfOf(page.body), taskId, outcome: "published", column: "normative" });
    expect(res.status).toBe(303);
    await s.h.settle();
    const after = await office.get(`/console/cases/${published}`);
    expect(visible(after.body)).toContain("办理状态 已主动公开");
    expect(after.body).toContain(`<a href="/catalogue/${CODE}/2026-000001" id="index-number">`);

    const opened = await openReconciliation(s.h.deps, CODE, "2026-03");
    await s.h.settle();
    const rec = await office.get(`/console/cases/${opened.caseId}`);
    expect(rec.status).toBe(200);
    const text = visible(rec.body);
    expect(text).toContain("比对月份 2026年3月");
    expect(text).toContain("本月印发公文 2 件");
    expect(text).toContain(`黄行服〔2026〕1号 关于规范行政审批的通知 2026-03-02 主动公开 ${CODE}/2026-000001`);
    expect(text).toContain("黄行服〔2026〕2号 差异 关于调整窗口时间的通知 2026-03-02 主动公开 未发布");
    expect(rec.body).toContain(`<a href="/console/cases/${pending}">关于调整窗口时间的通知</a>`);
    expect(rec.body).toMatch(/<tr class="discrepancy">\s*<td data-label="文号">黄行服〔2026〕2号/);
    const recorded = outcomeForm(rec.body, "recorded").form;
    expect(recorded).toContain(">黄行服〔2026〕2号：</textarea>");
  });
});

describe("the consultation form (草案公开征求意见)", () => {
  it("takes a draft with its explanation and situations from the drafting section, opens the office's publishing task, and shows a refused one again", async () => {
    const s = await setup();
    const section = await s.signedIn("section");
    const form = await section.get("/console/consultations/new");
    expect(form.status).toBe(200);
    expect(form.body).toContain('<a href="/console/consultations/new" aria-current="page">征求意见</a>');
    const csrfToken = csrfOf(form.body);

    const refused = await section.post("/console/consultations/new", { csrfToken, title: "关于规范停车收费的若干规定", draft: "第一条 ……" });
    expect(refused.status).toBe(400);
    expect(visible(refused.body)).toContain("起草说明中的“制定文件的必要性和可行性”");
    expect(refused.body).toContain("关于规范停车收费的若干规定");

    const res = await section.post("/console/consultations/new", {
      csrfToken,
      title: "关于规范停车收费的若干规定",
      draft: "第一条 为规范停车收费行为，制定本规定。",
      "explanation.necessity": "停车收费投诉逐年增加。",
      "explanation.problems": "收费标准不一、公示不到位。",
      "explanation.measures": "统一公示，明确减免情形。",
      "explanation.process": "经调研、座谈，依据价格法起草。",
      "situations.fiscal_cost": "yes",
      publicInterest: "yes",
    });
    expect(res.status).toBe(303);
    const caseId = caseIdOf(res.headers.location);
    await s.h.settle();
    const c = (await s.h.deps.store.cases.get(caseId))!;
    expect(c.workflow).toBe("consultation");
    expect(c.data).toMatchObject({ situations: ["fiscal_cost"], publicInterest: true, sectorInterests: false });
    expect(await s.h.openTask(caseId, "publish_consultation")).toBeDefined();
    // the office does not draft
    expect((await (await s.signedIn("office")).get("/console/consultations/new")).status).toBe(403);
  });
});
