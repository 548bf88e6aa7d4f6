import { describe, expect, it } from "vitest";
import { consolePageRoutes } from "../../../functions/http/staff-console";
import type { AppDeps } from "../../../shared/app/deps";
import { DEMO_PASSWORD, seedDemo } from "../../../shared/app/seed-demo";
import { consoleBrowser, csrfOf, type Jar } from "../../support/console-browser";
import { settingsRoutes } from "../../../shared/http/settings-routes";
import { memoryDeps, type MemoryDeps } from "../../../shared/adapters/memory/deps";
import { fixedClock } from "../../../shared/domain/clock";
import type { AgencyRecord } from "../../../shared/domain/records";
import type { Role } from "../../../shared/domain/roles";
import { ForbiddenError, ValidationError } from "../../../shared/app/errors";
import { SCREENING_LIMITS, SITE_LIMITS, updateScreeningSettings, updateSiteProfile } from "../../../shared/app/settings/agency-settings";

const CODE = "001008010002002";

const agency: AgencyRecord = {
  code: CODE,
  name: "黄岩区行政服务中心",
  letterhead: "台州市黄岩区行政服务中心",
  letterPrefix: "黄行服依复",
  officeAddress: "台州市黄岩区劳动北路1号",
};

// 2026-12-02 23:30 in Beijing is still 15:30 UTC of the same day; 16:30 UTC is already 12月3日
async function setup(now = "2026-12-02T16:30:00Z"): Promise<MemoryDeps> {
  const deps = memoryDeps(fixedClock(now));
  await deps.store.directory.putAgency(agency);
  return deps;
}

const as = (...roles: Role[]) => ({ agencyCode: CODE, roles });
const stored = async (deps: MemoryDeps) => (await deps.store.directory.agency(CODE))!;

async function refusal(p: Promise<unknown>): Promise<ValidationError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const site = {
  organiser: "  台州市黄岩区行政服务中心  ",
  address: "台州市黄岩区劳动北路1号",
  postalCode: "318020",
  phone: "(0576) 8411-1111",
  fax: "0576-84111112",
  email: "hyxzfw@example.gov.cn",
  hours: "工作日 上午8:30—12:00 下午14:30—17:30",
  siteCode: "3310030001",
  icp: "浙ICP备05001234号",
  psb: "浙公网安备 33100302000123号",
  guide: [
    { heading: "一、主动公开", body: "本机关主动公开以下信息：\r\n（一）机构职能；\r\n（二）政策文件。" },
    { heading: "二、依申请公开", body: "申请人可通过网上、信函、当面提交申请。" },
    { heading: "", body: "" },
  ],
};

describe("updateSiteProfile", () => {
  it.each<Role>(["office_staff", "office_director", "administrator"])("%s stores the trimmed profile and the guide with today's Beijing date", async (role) => {
    const deps = await setup();
    const saved = await updateSiteProfile(deps, as(role), site);
    const record = await stored(deps);
    expect(record.site).toEqual(saved);
    expect(record.site).toEqual({
      organiser: "台州市黄岩区行政服务中心",
      address: "台州市黄岩区劳动北路1号",
      postalCode: "318020",
      phone: "(0576) 8411-1111",
      fax: "0576-84111112",
      email: "hyxzfw@example.gov.cn",
      hours: "工作日 上午8:30—12:00 下午14:30—17:30",
      siteCode: "3310030001",
      icp: "浙ICP备05001234号",
      psb: "浙公网安备 33100302000123号",
      guide: {
        updatedOn: "2026-12-03",
        sections: [
          // line ends as \n; the empty row is no section
          { heading: "一、主动公开", body: "本机关主动公开以下信息：\n（一）机构职能；\n（二）政策文件。" },
          { heading: "二、依申请公开", body: "申请人可通过网上、信函、当面提交申请。" },
        ],
      },
    });
    // the rest of the agency is kept
    expect(record.letterPrefix).toBe("黄行服依复");
    expect(record.officeAddress).toBe("台州市黄岩区劳动北路1号");
  });

  it("drops empty fields and the rows marked for removal, keeping the order", async () => {
    const deps = await setup();
    await updateSiteProfile(deps, as("office_staff"), site);
    const saved = await updateSiteProfile(deps, as("office_staff"), {
      organiser: "",
      phone: "   ",
      guide: [
        { heading: "一、主动公开", body: "正文一", remove: true },
        { heading: "二、依申请公开", body: "正文二" },
        { heading: "三、监督", body: "正文三" },
      ],
    });
    expect(saved).toEqual({ guide: { updatedOn: "2026-12-03", sections: [{ heading: "二、依申请公开", body: "正文二" }, { heading: "三、监督", body: "正文三" }] } });
    expect((await stored(deps)).site).toEqual(saved);
  });

  it("keeps the guide's date when its sections did not change", async () => {
    const deps = await setup("2026-12-01T02:00:00Z");
    await updateSiteProfile(deps, as("office_staff"), site);
    deps.clock = fixedClock("2026-12-10T02:00:00Z");
    await updateSiteProfile(deps, as("office_staff"), { ...site, phone: "0576-84111113" });
    expect((await stored(deps)).site?.guide?.updatedOn).toBe("2026-12-01");
    await updateSiteProfile(deps, as("office_staff"), { ...site, guide: [{ heading: "一、主动公开", body: "改过的正文" }] });
    expect((await stored(deps)).site?.guide?.updatedOn).toBe("2026-12-10");
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a field over 200 characters", { address: "路".repeat(201) }, "address", /联系地址不能超过 200 个字/],
    ["a phone number with letters", { phone: "0576-8411 转 123" }, "phone", /联系电话只能填写数字、连字符/],
    ["a fax without digits", { fax: "--" }, "fax", /传真只能填写数字/],
    ["a malformed email", { email: "hyxzfw@" }, "email", /电子邮箱格式不正确/],
    ["a postal code of 5 digits", { postalCode: "31802" }, "postalCode", /邮政编码应为 6 位数字/],
    ["a control character", { organiser: "黄岩\u0000区" }, "organiser", /主办单位含有不允许的字符/],
    ["a line break in a one-line field", { hours: "上午\n下午" }, "hours", /办公时间含有不允许的字符/],
    ["a number for a text", { icp: 12345 }, "icp", /ICP备案号应为文本/],
    ["a heading over 200 characters", { guide: [{ heading: "标".repeat(201), body: "正文" }] }, "guide.0.heading", /^政府信息公开指南第 1 节：标题不能超过 200 个字/],
    ["a body over 5,000 characters", { guide: [{ heading: "一", body: "" }, { heading: "二", body: "字".repeat(SITE_LIMITS.body + 1) }] }, "guide.1.body", /^政府信息公开指南第 2 节：正文不能超过 5000 个字/],
    ["a body without a heading", { guide: [{ heading: "", body: "正文" }] }, "guide.0.heading", /^政府信息公开指南第 1 节：请填写标题/],
    ["a heading without a body", { guide: [{ heading: "一、", body: "" }] }, "guide.0.body", /^政府信息公开指南第 1 节：请填写正文/],
    ["a bidi override in a body", { guide: [{ heading: "一", body: "正\u202E文" }] }, "guide.0.body", /^政府信息公开指南第 1 节：正文含有不允许的字符/],
    ["31 sections", { guide: Array.from({ length: 31 }, (_, i) => ({ heading: `第${i + 1}节`, body: "正文" })) }, "guide", /最多 30 节，现有 31 节/],
  ])("refuses %s, naming the field, and stores nothing", async (_what, input, path, message) => {
    const deps = await setup();
    const error = await refusal(updateSiteProfile(deps, as("office_staff"), { ...site, ...input }));
    const field = error.fields.find((f) => f.path === path);
    expect(field, JSON.stringify(error.fields)).toBeDefined();
    expect(field!.message).toMatch(message);
    expect((await stored(deps)).site).toBeUndefined();
  });

  it("says every problem at once, a gap in the guide together with a bad field", async () => {
    const deps = await setup();
    const error = await refusal(updateSiteProfile(deps, as("office_staff"), { email: "x", guide: [{ heading: "一", body: "" }, { heading: "", body: "", remove: true }] }));
    expect(error.fields.map((f) => f.path)).toEqual(["email", "guide.0.body"]);
  });

  it("accepts exactly 30 sections, the empty row beside them", async () => {
    const deps = await setup();
    const guide = [...Array.from({ length: 30 }, (_, i) => ({ heading: `第${i + 1}节`, body: "正文" })), { heading: "", body: "" }];
    const saved = await updateSiteProfile(deps, as("office_staff"), { guide });
    expect(saved.guide?.sections).toHaveLength(30);
  });

  it("refuses a profile too large for the agency's record", async () => {
    const deps = await setup();
    const guide = Array.from({ length: 30 }, (_, i) => ({ heading: `第${i + 1}节`, body: "字".repeat(SITE_LIMITS.body) }));
    const error = await refusal(updateSiteProfile(deps, as("office_staff"), { guide }));
    expect(error.fields[0]!.message).toMatch(/合计不能超过 350 KB/);
    expect((await stored(deps)).site).toBeUndefined();
  });

  it.each<Role>(["info_officer", "section_head", "web_admin", "deputy_leader", "auditor"])("refuses %s and stores nothing", async (role) => {
    const deps = await setup();
    await expect(updateSiteProfile(deps, as(role), site)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await stored(deps)).site).toBeUndefined();
  });

  it("refuses the wrong role before looking at the input", async () => {
    const deps = await setup();
    await expect(updateSiteProfile(deps, as("info_officer"), { email: "bad" })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("updateScreeningSettings", () => {
  it("stores each category's words trimmed, without empty lines or repeats, and the switch", async () => {
    const deps = await setup();
    const saved = await updateScreeningSettings(deps, as("office_director"), {
      wordLists: { rumour: " 小道消息 \r\n\r\n据传\n小道消息\n", privacy: ["病历", "病历", " 家庭住址 "], constitution: "\n  \n" },
      flagIndividualCreditCodes: false,
    });
    expect(saved).toEqual({ wordLists: { rumour: ["小道消息", "据传"], privacy: ["病历", "家庭住址"] }, flagIndividualCreditCodes: false });
    const record = await stored(deps);
    expect(record.screening).toEqual(saved);
    expect(record.name).toBe("黄岩区行政服务中心");
  });

  it("replaces what was there", async () => {
    const deps = await setup();
    await updateScreeningSettings(deps, as("office_staff"), { wordLists: { rumour: "据传" }, flagIndividualCreditCodes: false });
    await updateScreeningSettings(deps, as("administrator"), { wordLists: {}, flagIndividualCreditCodes: true });
    expect((await stored(deps)).screening).toEqual({ wordLists: {}, flagIndividualCreditCodes: true });
  });

  it("accepts 500 words of 50 characters, repeats not counted", async () => {
    const deps = await setup();
    const words = Array.from({ length: SCREENING_LIMITS.words }, (_, i) => `${String(i).padStart(3, "0")}${"词".repeat(47)}`);
    const saved = await updateScreeningSettings(deps, as("office_staff"), { wordLists: { defamation: [...words, ...words].join("\n") }, flagIndividualCreditCodes: true });
    expect(saved.wordLists.defamation).toHaveLength(500);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["501 words", { wordLists: { rumour: Array.from({ length: 501 }, (_, i) => `词${i}`).join("\n") } }, "wordLists.rumour", /「散布谣言、扰乱社会秩序」词表最多 500 个词，现有 501 个/],
    ["a word of 51 characters", { wordLists: { privacy: `病历\n${"字".repeat(51)}` } }, "wordLists.privacy", /「涉及个人隐私」词表第 2 行的词超过 50 个字/],
    ["a tab in a word", { wordLists: { religion: "甲\t乙" } }, "wordLists.religion", /「破坏国家宗教政策、宣扬邪教和封建迷信」词表第 1 行含有不允许的字符/],
    ["a number for a list", { wordLists: { rumour: 3 } }, "wordLists.rumour", /词表应为文本，每行一个词/],
    ["no switch", { flagIndividualCreditCodes: undefined }, "flagIndividualCreditCodes", /请选择是否标记个体工商户的统一社会信用代码/],
  ])("refuses %s, naming the field, and stores nothing", async (_what, input, path, message) => {
    const deps = await setup();
    const error = await refusal(updateScreeningSettings(deps, as("office_staff"), { wordLists: {}, flagIndividualCreditCodes: true, ...input }));
    const field = error.fields.find((f) => f.path === path);
    expect(field, JSON.stringify(error.fields)).toBeDefined();
    expect(field!.message).toMatch(message);
    expect((await stored(deps)).screening).toBeUndefined();
  });

  it.each<Role>(["info_officer", "security_officer", "principal_leader"])("refuses %s and stores nothing", async (role) => {
    const deps = await setup();
    await expect(updateScreeningSettings(deps, as(role), { wordLists: {}, flagIndividualCreditCodes: true })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await stored(deps)).screening).toBeUndefined();
  });
});

// ---- the pages, as a browser uses them ---------------------------------------------------

const browser = (deps: AppDeps) => consoleBrowser([...consolePageRoutes(() => deps), ...settingsRoutes(() => deps)]);

async function signedIn(username: string) {
  const deps = memoryDeps(fixedClock("2026-12-02T06:05:00Z"));
  await seedDemo({ store: deps.store });
  const send = browser(deps);
  const jar: Jar = new Map();
  const login = await send("GET", "/console/login", { jar });
  const res = await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: CODE, username, password: DEMO_PASSWORD, next: "/console/settings/site" } });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe("/console/settings/site");
  return { deps, send, jar };
}

describe("settings pages", () => {
  it("send a signed-out visitor to the sign-in page and back", async () => {
    const deps = memoryDeps(fixedClock("2026-12-02T06:05:00Z"));
    const send = browser(deps);
    const res = await send("GET", "/console/settings/screening");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/console/login?next=${encodeURIComponent("/console/settings/screening")}`);
    expect((await send("POST", "/console/settings/site", { form: { organiser: "x" } })).status).toBe(303);
  });

  it("show the office the stored profile, save a post and redirect to a notice, keeping the rest", async () => {
    const { deps, send, jar } = await signedIn("office");
    const page = await send("GET", "/console/settings/site", { jar });
    expect(page.status).toBe(200);
    expect(page.body).toContain("<h1>网站信息与公开指南</h1>");
    expect(page.body).toContain("办公室 王敏");
    expect(page.body).not.toContain(">office<");
    expect(page.body).toContain('name="guide.0.heading"');
    expect(page.body).toContain("新增一节（第 1 节，不需要时留空）");
    const csrfToken = csrfOf(page.body);
    const saved = await send("POST", "/console/settings/site", {
      jar,
      form: { csrfToken, organiser: "台州市黄岩区行政服务中心", phone: "0576-84111111", "guide.0.heading": "一、主动公开", "guide.0.body": "第一段。\r\n第二段。", "guide.1.heading": "", "guide.1.body": "" },
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe("/console/settings/site?saved=1");
    const after = await send("GET", saved.headers.location!, { jar });
    expect(after.body).toContain("已保存网站信息与公开指南");
    expect(after.body).toContain('value="0576-84111111"');
    expect(after.body).toContain("第一段。\n第二段。</textarea>");
    expect(after.body).toContain('指南更新日期：<time datetime="2026-12-02">2026-12-02</time>');
    // the stored section gets a 删除 box, and a new empty row follows it
    expect(after.body).toContain('name="guide.0.remove"');
    expect(after.body).toContain("新增一节（第 2 节，不需要时留空）");
    expect(after.body).not.toContain('name="guide.1.remove"');
    const record = (await deps.store.directory.agency(CODE))!;
    expect(record.site).toEqual({ organiser: "台州市黄岩区行政服务中心", phone: "0576-84111111", guide: { updatedOn: "2026-12-02", sections: [{ heading: "一、主动公开", body: "第一段。\n第二段。" }] } });
    expect(record.letterPrefix).toBe("黄行服依复");

    // ticking 删除 removes the section
    const removed = await send("POST", "/console/settings/site", { jar, form: { csrfToken, "guide.0.heading": "一、主动公开", "guide.0.body": "第一段。", "guide.0.remove": "yes" } });
    expect(removed.status).toBe(303);
    expect((await deps.store.directory.agency(CODE))!.site).toEqual({});
  });

  it("give a refused form back with what was typed and each error linked to its field", async () => {
    const { deps, send, jar } = await signedIn("director");
    const before = (await deps.store.directory.agency(CODE))!.site;
    const csrfToken = csrfOf((await send("GET", "/console/settings/site", { jar })).body);
    const res = await send("POST", "/console/settings/site", { jar, form: { csrfToken, email: "not-an-email<b>", "guide.0.heading": "", "guide.0.body": "只有正文" } });
    expect(res.status).toBe(400);
    expect(res.body).toContain("<title>错误：网站信息与公开指南");
    expect(res.body).toContain('<a href="#f-email">电子邮箱格式不正确');
    expect(res.body).toContain('<a href="#f-guide.0.heading">政府信息公开指南第 1 节：请填写标题</a>');
    expect(res.body).toContain('value="not-an-email&lt;b&gt;"');
    expect(res.body).toContain("只有正文</textarea>");
    expect((await deps.store.directory.agency(CODE))!.site).toEqual(before);
  });

  it("refuse a post without the session's CSRF token", async () => {
    const { deps, send, jar } = await signedIn("office");
    const res = await send("POST", "/console/settings/screening", { jar, form: { csrfToken: "forged", "wordLists.rumour": "据传" } });
    expect(res.status).toBe(403);
    expect(res.body).toContain("页面已过期");
    expect((await deps.store.directory.agency(CODE))!.screening).toBeUndefined();
  });

  it("refuse other roles inside the console, reading and writing", async () => {
    const { deps, send, jar } = await signedIn("officer");
    const page = await send("GET", "/console/settings/site", { jar });
    expect(page.status).toBe(403);
    expect(page.body).toContain("无权访问");
    expect(page.body).toContain("只有办公室、办公室主任和系统管理员可以修改本机关的设置");
    const csrfToken = csrfOf(page.body);
    const res = await send("POST", "/console/settings/screening", { jar, form: { csrfToken, "wordLists.rumour": "据传" } });
    expect(res.status).toBe(403);
    expect((await deps.store.directory.agency(CODE))!.screening).toBeUndefined();
  });

  it("save the screening word lists and the switch from the form", async () => {
    const { deps, send, jar } = await signedIn("admin");
    const page = await send("GET", "/console/settings/screening", { jar });
    expect(page.status).toBe(200);
    expect(page.body).toContain("1. 反对宪法所确定的基本原则");
    expect(page.body).toContain('name="wordLists.privacy"');
    // on by default
    expect(page.body).toMatch(/name="flagIndividualCreditCodes" value="yes" checked/);
    const csrfToken = csrfOf(page.body);
    const saved = await send("POST", "/console/settings/screening", { jar, form: { csrfToken, "wordLists.rumour": "据传\r\n小道消息\r\n据传\r\n" } });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe("/console/settings/screening?saved=1");
    expect((await deps.store.directory.agency(CODE))!.screening).toEqual({ wordLists: { rumour: ["据传", "小道消息"] }, flagIndividualCreditCodes: false });
    const after = await send("GET", saved.headers.location!, { jar });
    expect(after.body).toContain("已保存内容检查设置");
    expect(after.body).toContain("据传\n小道消息</textarea>");
    expect(after.body).not.toMatch(/name="flagIndividualCreditCodes" value="yes" checked/);

    const bad = await send("POST", "/console/settings/screening", { jar, form: { csrfToken, "wordLists.privacy": "字".repeat(51) } });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('<a href="#f-wordLists.privacy">「涉及个人隐私」词表第 1 行的词超过 50 个字');
  });
});
