import { describe, expect, it } from "vitest";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHttpHandler } from "../../../shared/http/http";
import { renderErrorPage } from "../../../shared/http/error-pages";
import { transparencyRoutes } from "../../../shared/http/transparency-routes";
import { memoryDeps } from "../../../shared/adapters/memory/deps";
import { fixedClock } from "../../../shared/domain/clock";
import { quantileOfHistogram, shownCount, transparencyFigures } from "../../../shared/domain/transparency/figures";
import { openApiDocument } from "../../../shared/http/openapi";

/** The transparency pages and their data as a browser and a client get them, over in-memory ports. */

const CODE = "001008010002002";

async function site(more: (deps: ReturnType<typeof memoryDeps>) => Promise<void> = async () => undefined) {
  const deps = memoryDeps(fixedClock("2026-04-10T02:00:00.000Z"));
  await more(deps);
  await deps.store.directory.putAgency({ code: CODE, name: "黄岩区行政服务中心", reviewAuthority: "台州市黄岩区人民政府", court: "台州市黄岩区人民法院" });
  const counts = { "received:2026": 12, "received:2026-03": 9, "received:2026-04": 3, "answered:2026": 7, "onTime:2026": 6, "onTimeExtended:2026": 1, "cell:2026:1": 6, "cell:2026:3.1": 1, "days:2026:4": 3, "days:2026:9": 3, "days:2026:25": 1, open: 5, overdue: 1, "published:2026-03": 14 };
  await deps.store.commit([{ kind: "transparency", counters: { agencyCode: CODE, counts, version: 0 }, expectedVersion: 0 }]);
  const handler = createHttpHandler(transparencyRoutes(() => deps), { renderErrorPage });
  return async (url: string) => {
    const [path, query = ""] = url.split("?") as [string, string?];
    const event = {
      version: "2.0",
      routeKey: "$default",
      rawPath: path,
      rawQueryString: query,
      headers: { host: "gongkai.test" },
      requestContext: { http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "198.51.100.7", userAgent: "vitest" }, requestId: "req-1" },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const res = await handler(event);
    return { status: res.statusCode, headers: (res.headers ?? {}) as Record<string, string>, body: String(res.body ?? "") };
  };
}

describe("transparency pages", () => {
  it("show the agency's figures as HTML with two SVG charts and their tables, and the same as JSON and CSV", async () => {
    // Prepare
    const get = await site();

    // Act
    const page = await get(`/transparency/${CODE}`);
    const data = JSON.parse((await get(`/transparency/${CODE}.json`)).body);
    const csv = await get(`/transparency/${CODE}?format=csv`);

    // Assess
    expect(page.status).toBe(200);
    expect(page.body.match(/<svg role="img"/g)).toHaveLength(2);
    expect(page.body).toContain("<caption>依申请公开办理情况</caption>");
    expect(page.body).not.toContain("<script");
    expect(page.body).toContain("少于5");
    expect(data.figures.thisYear).toMatchObject({ received: 12, answered: 7, onTime: 6, onTimeExtended: 1, medianWorkingDays: 9, p90WorkingDays: 25 });
    expect(data.figures.thisYear.results.find((r: { cell: string }) => r.cell === "3.1").count).toBe("<5");
    expect(data.figures.months[3]).toEqual({ month: "2026-04", received: "<5", published: 0 });
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body).toContain("收到申请,2026,12");
  });

  it("answers an unknown agency with the 404 page (404 NOT_FOUND as data) and a wrong format with 400", async () => {
    const get = await site();
    const page = await get("/transparency/nope");
    const data = await get("/transparency/nope.json");
    const bad = await get(`/transparency/${CODE}?format=xml`);
    expect(page.status).toBe(404);
    expect(page.body).toContain("未找到该机关");
    expect(data.status).toBe(404);
    expect(JSON.parse(data.body).error.code).toBe("NOT_FOUND");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: "VALIDATION_FAILED", fields: [{ path: "format" }] });
  });

  it("adds every agency up on the deployment page", async () => {
    const get = await site();
    const data = JSON.parse((await get("/transparency?format=json")).body);
    expect(data).toMatchObject({ agencies: 1, byAgency: [{ agencyCode: CODE, received: 12, answered: 7, onTime: 7, openNow: 5, overdueNow: 1 }] });
    expect((await get("/transparency")).body).toContain(`href="/transparency/${CODE}"`);
  });

  it("lists an agency with nothing counted yet, at zero, so a new deployment shows every agency", async () => {
    const get = await site((deps) => deps.store.directory.putAgency({ code: "001008010003001", name: "黄岩区人民政府办公室", reviewAuthority: "台州市人民政府", court: "台州市黄岩区人民法院" }));
    const data = JSON.parse((await get("/transparency?format=json")).body);
    expect(data.agencies).toBe(2);
    expect(data.byAgency).toContainEqual({ agencyCode: "001008010003001", received: 0, answered: 0, onTime: 0, openNow: 0, overdueNow: 0 });
    expect((await get("/transparency")).body).toContain('href="/transparency/001008010003001"');
  });

  it("is in the OpenAPI document", () => {
    const paths = (openApiDocument() as { paths: Record<string, unknown> }).paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(["/transparency", "/transparency/{agencyCode}"]));
  });
});

describe("figures from counters", () => {
  it("take the exact median and 90th percentile of whole working days from the histogram", () => {
    expect(quantileOfHistogram([0, 2, 0, 1], 0.5)).toBe(1);
    expect(quantileOfHistogram([0, 2, 0, 1], 0.9)).toBe(3);
    expect(quantileOfHistogram([1, 1], 0.5)).toBe(0);
    expect(quantileOfHistogram([0, 0], 0.5)).toBeUndefined();
  });

  it("show 1–4 in a breakdown as <5 and leave 0 and 5 as they are; totals are never suppressed", () => {
    expect([0, 1, 4, 5].map(shownCount)).toEqual([0, "<5", "<5", 5]);
    const f = transparencyFigures({ "received:2026": 2, "answered:2026": 1, "cell:2026:1": 1 }, "2026-05-01");
    expect(f.thisYear).toMatchObject({ received: 2, answered: 1 });
    expect(f.thisYear.results[0]).toMatchObject({ cell: "1", count: "<5" });
  });
});
