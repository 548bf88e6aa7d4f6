import { describe, expect, it } from "vitest";
import { consolePageRoutes } from "../../../functions/http/staff-console";
import { annualReportPageRoutes } from "../../../shared/http/annual-report-pages";
import { DEMO_PASSWORD, demoAgencies } from "../../../shared/app/seed-demo";
import { finalReport } from "../../../shared/app/reports/annual";
import { consoleBrowser, csrfOf, type Jar } from "../../support/console-browser";
import { memoryHarness } from "../../support/harness";

const CODE = demoAgencies[0]!.code;
const PAGE = "/console/reports/annual";

async function signedIn(username: string) {
  const h = await memoryHarness("2027-01-15T02:00:00.000Z");
  const send = consoleBrowser([...consolePageRoutes(() => h.deps), ...annualReportPageRoutes(() => h.deps)]);
  const jar: Jar = new Map();
  const login = await send("GET", "/console/login", { jar });
  const res = await send("POST", "/console/login", { jar, form: { csrfToken: csrfOf(login.body), agencyCode: CODE, username, password: DEMO_PASSWORD, next: PAGE } });
  expect(res.status).toBe(303);
  return { h, send, jar };
}

/** The figures of an applications table row, by its label. */
function rowValues(page: string, label: string): string[] {
  const row = new RegExp(`${label.replace(/[()（）]/g, "\\$&")}</td>([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? "";
  return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]!);
}

const csv = (lines: string[]) => ({
  name: "file",
  file: { filename: "before.csv", type: "text/csv", bytes: Buffer.from(["reference,receivedOn,applicantType,organizationKind,replyType,ground,closedOn", ...lines].join("\r\n"), "utf8") },
});

const allItems: Record<string, Record<string, string>> = {
  rules: { "values.issued": "0", "values.repealed": "0", "values.inForce": "0" },
  normative: { "values.issued": "2", "values.repealed": "1", "values.inForce": "12" },
  licensing: { "values.decisions": "30" },
  punishment: { "values.decisions": "4" },
  enforcement: { "values.decisions": "0" },
  fees: { "values.amount": "1.25" },
};

describe("the annual report console page", () => {
  it("shows last year's tables, checks, downloads and that no final copy exists", async () => {
    const { send, jar } = await signedIn("director");
    const page = await send("GET", PAGE, { jar });
    expect(page.status).toBe(200);
    expect(page.body).toContain("2026年政府信息公开工作年度报告");
    expect(page.body).toContain("收到和处理政府信息公开申请情况");
    expect(page.body).toContain("主动公开政府信息情况");
    expect(page.body).toContain("政府信息公开行政复议、行政诉讼情况");
    expect(page.body).toContain('href="/api/v1/reports/annual?year=2026&amp;format=xlsx"');
    expect(page.body).toContain("format=csv");
    expect(page.body).toContain("尚未定稿");
    // nothing entered by hand yet: that check fails, in red
    expect(page.body).toMatch(/color:#c00;font-weight:bold">未通过/);
    expect(page.body).toContain('action="/console/reports/annual/entries"');
    expect(page.body).toContain('action="/console/reports/annual/final"');
    expect(page.body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    // another year by query
    const other = await send("GET", `${PAGE}?year=2025`, { jar });
    expect(other.body).toContain("2025年政府信息公开工作年度报告");
  });

  it("saves a hand entry and shows it with who entered it", async () => {
    const { send, jar } = await signedIn("director");
    const csrfToken = csrfOf((await send("GET", PAGE, { jar })).body);
    const res = await send("POST", `${PAGE}/entries`, { jar, form: { csrfToken, year: "2026", item: "normative", "values.issued": "3", "values.repealed": "1", "values.inForce": "20" } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/console\/reports\/annual\?year=2026&saved=1/);
    const after = await send("GET", res.headers.location!.split("#")[0]!, { jar });
    expect(after.body).toContain("已保存填报的数据");
    expect(after.body).toContain("（手工填报：办公室主任 李强 2027-01-15 10:00）");
    expect(rowValues(after.body, "行政规范性文件<span[^<]*</span>")).toEqual(["3", "1", "20"]);
  });

  it("edits the text sections: drafts shown in the form, a saved edit kept with who and when, a refused one shown again", async () => {
    const { send, jar } = await signedIn("office");
    const page = await send("GET", PAGE, { jar });
    expect(page.body).toContain('action="/console/reports/annual/narrative"');
    expect(page.body).toContain("一、总体情况");
    expect(page.body).toContain("按本年数字生成的草稿，尚未编辑");
    const draftOf = (body: string, key: string) => new RegExp(`name="sections\\.${key}"[^>]*>([^<]*)</textarea>`).exec(body)?.[1] ?? "";
    expect(draftOf(page.body, "applications")).toContain("本年度新收政府信息公开申请 0 件");
    const csrfToken = csrfOf(page.body);
    const form: Record<string, string> = { csrfToken, year: "2026" };
    for (const key of ["overview", "proactive", "applications", "reviewLitigation", "problems", "other"]) form[`sections.${key}`] = draftOf(page.body, key).replace(/&amp;/g, "&");
    form["sections.problems"] = "一是政策解读形式较单一；二是依申请公开答复文书还需规范。";
    const res = await send("POST", `${PAGE}/narrative`, { jar, form });
    expect(res.status).toBe(303);
    const after = await send("GET", res.headers.location!.split("#")[0]!, { jar });
    expect(after.body).toContain("已保存文字部分");
    expect(draftOf(after.body, "problems")).toBe("一是政策解读形式较单一；二是依申请公开答复文书还需规范。");
    expect(after.body.replace(/<[^>]+>/g, "")).toContain("办公室 王敏 于 2027-01-15 10:00 编辑");
    // only the edited one: the drafts sent back unchanged are still drafts
    expect(after.body.match(/尚未编辑/g)).toHaveLength(5);
    const refused = await send("POST", `${PAGE}/narrative`, { jar, form: { csrfToken, year: "2026", "sections.problems": "问".repeat(20_001) } });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("五、存在的主要问题及改进情况不能超过 20000 字");
  });

  it("shows a refused entry again with its errors (400)", async () => {
    const { send, jar } = await signedIn("office");
    const csrfToken = csrfOf((await send("GET", PAGE, { jar })).body);
    const res = await send("POST", `${PAGE}/entries`, { jar, form: { csrfToken, year: "2026", item: "fees", "values.amount": "很多" } });
    expect(res.status).toBe(400);
    expect(res.body).toContain("请填写本年收费金额（单位：万元）（数字）");
    expect(res.body).toContain('value="很多"');
    const negative = await send("POST", `${PAGE}/entries`, { jar, form: { csrfToken, year: "2026", item: "licensing", "values.decisions": "-2" } });
    expect(negative.status).toBe(400);
    expect(negative.body).toContain("本年处理决定数量应为不小于 0 的整数");
  });

  it("imports a CSV whose applications count in the table", async () => {
    const { send, jar } = await signedIn("office");
    const csrfToken = csrfOf((await send("GET", PAGE, { jar })).body);
    const res = await send("POST", `${PAGE}/import`, {
      jar,
      multipart: [{ name: "csrfToken", value: csrfToken }, { name: "year", value: "2026" }, csv(["BS-001,2026-03-02,natural_person,,disclosed,,2026-03-20", "BS-002,2026-11-30,natural_person,,,,"])],
    });
    expect(res.status).toBe(303);
    const after = await send("GET", res.headers.location!.split("#")[0]!, { jar });
    expect(after.body).toContain("导入完成：新导入 2 件");
    const received = rowValues(after.body, "一、本年新收政府信息公开申请数量");
    expect(received[0]).toBe("2"); // 自然人
    expect(received.at(-1)).toBe("2"); // 总计
    expect(rowValues(after.body, "四、结转下年度继续办理").at(-1)).toBe("1");
  });

  it("refuses a file with a bad row, naming its line and column", async () => {
    const { h, send, jar } = await signedIn("office");
    const csrfToken = csrfOf((await send("GET", PAGE, { jar })).body);
    const res = await send("POST", `${PAGE}/import`, {
      jar,
      multipart: [{ name: "csrfToken", value: csrfToken }, { name: "year", value: "2026" }, csv(["BS-001,2026-03-02,natural_person,,,,", "BS-002,2026-13-01,natural_person,,,,"])],
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("导入失败");
    expect(res.body).toContain("第 3 行 receivedOn：应为 YYYY-MM-DD 格式的日期");
    expect(await h.deps.store.cases.listOpen(CODE)).toHaveLength(0);
    const none = await send("POST", `${PAGE}/import`, { jar, multipart: [{ name: "csrfToken", value: csrfToken }] });
    expect(none.status).toBe(400);
    expect(none.body).toContain("请选择 .xlsx 或 .csv 文件");
  });

  it("refuses 定稿 while a check fails, and finalises once every check passes", async () => {
    const { h, send, jar } = await signedIn("director");
    const csrfToken = csrfOf((await send("GET", PAGE, { jar })).body);
    const refused = await send("POST", `${PAGE}/final`, { jar, form: { csrfToken, year: "2026" } });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain("不能定稿");
    expect(refused.body).toContain("行政规范性文件：未填报");
    expect(await finalReport(h.deps, CODE, 2026)).toBeUndefined();

    for (const [item, values] of Object.entries(allItems)) {
      const saved = await send("POST", `${PAGE}/entries`, { jar, form: { csrfToken, year: "2026", item, ...values } });
      expect(saved.status).toBe(303);
    }
    const done = await send("POST", `${PAGE}/final`, { jar, form: { csrfToken, year: "2026" } });
    expect(done.status).toBe(303);
    const after = await send("GET", done.headers.location!, { jar });
    expect(after.body).toContain("年度报告已定稿");
    expect(after.body).toContain("已定稿</strong>：办公室主任 李强 于 <time datetime=\"2027-01-15T10:00+08:00\">2027-01-15 10:00</time> 定稿");
    expect(after.body).toContain("全部校验通过");
  });

  it("lets the auditor read but not change the report", async () => {
    const { send, jar } = await signedIn("auditor");
    const page = await send("GET", PAGE, { jar });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('action="/console/reports/annual/entries"');
    expect(page.body).not.toContain('action="/console/reports/annual/final"');
    const res = await send("POST", `${PAGE}/final`, { jar, form: { csrfToken: csrfOf(page.body), year: "2026" } });
    expect(res.status).toBe(403);
  });

  it("refuses a duty officer (403) and a forged CSRF token", async () => {
    const duty = await signedIn("duty");
    const page = await duty.send("GET", PAGE, { jar: duty.jar });
    expect(page.status).toBe(403);
    expect(page.body).toContain("当前角色无权查看年度报告");

    const { h, send, jar } = await signedIn("director");
    const forged = await send("POST", `${PAGE}/entries`, { jar, form: { csrfToken: "forged", year: "2026", item: "licensing", "values.decisions": "5" } });
    expect(forged.status).toBe(403);
    const forgedImport = await send("POST", `${PAGE}/import`, { jar, multipart: [{ name: "csrfToken", value: "forged" }, csv(["BS-001,2026-03-02,natural_person,,,,"])] });
    expect(forgedImport.status).toBe(403);
    expect(await h.deps.files.list(`reports/annual/${CODE}/2026/proactive/`)).toEqual([]);
    expect(await h.deps.store.cases.listOpen(CODE)).toHaveLength(0);
  });

  it("sends a signed-out visitor to sign in and back", async () => {
    const h = await memoryHarness("2027-01-15T02:00:00.000Z");
    const send = consoleBrowser([...consolePageRoutes(() => h.deps), ...annualReportPageRoutes(() => h.deps)]);
    const res = await send("GET", `${PAGE}?year=2026`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/console/login?next=${encodeURIComponent(`${PAGE}?year=2026`)}`);
  });
});
