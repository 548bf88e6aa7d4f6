import { describe, expect, it } from "vitest";
import { memoryHarness, type Harness } from "../../support/harness";
import { validApplication } from "../../support/app";
import { submitApplication } from "../../../shared/app/applications/intake";
import { completeTask } from "../../../shared/app/engine/complete-task";
import { commitChange } from "../../../shared/app/engine/commit";
import { recordSignals } from "../../../shared/app/applications/signals";
import { creditCodeCheckChar, residentIdCheckChar } from "../../../shared/domain/identity";
import { verifyChain } from "../../../shared/domain/audit";
import type { MemoryStore } from "../../../shared/adapters/memory/store";
import type { ApplicationData } from "../../../shared/domain/workflows/application/data";

const personId = (n: number) => {
  const body17 = `3301021990030${String(700 + n).padStart(3, "0")}1`;
  return body17 + residentIdCheckChar(body17);
};
const creditCode = (n: number) => {
  const first17 = `91331003MA2ABCD${String(n).padStart(2, "0")}`;
  return first17 + creditCodeCheckChar(first17);
};
const person = (n: number, overrides: Record<string, unknown> = {}) => validApplication({ idNumber: personId(n), ...overrides });
const organisation = (n: number, overrides: Record<string, unknown> = {}) =>
  validApplication({
    applicantType: "organization",
    organizationKind: "research",
    name: `台州某研究院${n}`,
    creditCode: creditCode(n),
    legalRepresentative: "李四",
    ...overrides,
  });

/** Submitted and registered; the review step's hand-off (and with it the signals) consumed. */
async function registered(h: Harness, body: Record<string, unknown>) {
  const s = await submitApplication(h.deps, body);
  await h.settle();
  await h.complete("office", s.caseId, "register", { outcome: "registered" });
  return s;
}
const caseOf = async (h: Harness, caseId: string) => (await h.deps.store.cases.get(caseId))!;
const signalsOf = async (h: Harness, caseId: string) => ((await caseOf(h, caseId)).data as ApplicationData).signals;
const hints = (h: Harness) => h.sent.filter((m) => m.subject.startsWith("【提示】"));

describe("signals at the first review (art. 35, 36(6), 44)", () => {
  it("art. 35: the 11th application of one person in a month is flagged, the 10th is not; the office is told", async () => {
    const h = await memoryHarness();
    const cases = [];
    for (let i = 1; i <= 11; i++) cases.push(await registered(h, person(1, { description: `2025年度第${i}批行政许可办理结果` })));
    const tenth = await caseOf(h, cases[9]!.caseId);
    expect(tenth.flags).not.toContain("excessive_requests");
    expect((tenth.data as ApplicationData).signals?.applicationsThisMonth).toBe(10);
    const eleventh = await caseOf(h, cases[10]!.caseId);
    expect(eleventh.flags).toContain("excessive_requests");
    expect((eleventh.data as ApplicationData).signals).toEqual({ applicationsThisMonth: 11, sameInformation: [], possibleRepeatOf: [] });
    const event = (await h.deps.store.cases.events(eleventh.caseId)).find((e) => e.type === "signals.recorded")!;
    expect(event.summary).toContain("第三十五条");
    expect(verifyChain(await h.deps.store.cases.events(eleventh.caseId))).toBeUndefined();
    const mail = hints(h);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain(cases[10]!.trackingNumber);
    expect(mail[0]!.to).toEqual([expect.stringMatching(/^office\./)]);
    expect(mail[0]!.text).toContain("说明理由");
    // another person's application that month counts for them alone
    const other = await registered(h, person(2, { description: "2025年度第1批行政许可办理结果以外的信息" }));
    expect(await signalsOf(h, other.caseId)).toMatchObject({ applicationsThisMonth: 1 });
  });

  it("art. 44: the same information from a second applicant is flagged with the first's tracking number", async () => {
    const h = await memoryHarness();
    const first = await registered(h, person(1, { description: "2025年度行政服务中心窗口服务满意度调查结果" }));
    const second = await registered(h, person(2, { description: "２０２５年度 行政服务中心窗口服务满意度调查结果。" }));
    expect((await caseOf(h, first.caseId)).flags).not.toContain("same_information");
    expect(await signalsOf(h, first.caseId)).toMatchObject({ sameInformation: [] });
    const c = await caseOf(h, second.caseId);
    expect(c.flags).toContain("same_information");
    expect((c.data as ApplicationData).signals).toMatchObject({ sameInformation: [first.trackingNumber], possibleRepeatOf: [] });
    expect(hints(h).map((m) => m.text).join("\n")).toContain("主动公开");
  });

  it("art. 36(6): the same applicant asking again after the reply is a possible repeat of the answered case", async () => {
    const h = await memoryHarness();
    const first = await registered(h, person(1));
    await h.complete("office", first.caseId, "review", { outcome: "complete" });
    await h.complete("office", first.caseId, "handle", { outcome: "propose_reply", replyType: "disclosed", reasons: "属于可以公开的政府信息" });
    await h.complete("deputy", first.caseId, "sign_off", { outcome: "signed" });
    h.clock.advance(3_600_000);
    const again = await registered(h, person(1, { description: "2025年度 行政服务中心 窗口服务满意度调查结果！" }));
    const c = await caseOf(h, again.caseId);
    expect(c.flags).toEqual(expect.arrayContaining(["possible_repeat"]));
    expect(c.flags).not.toContain("same_information");
    expect((c.data as ApplicationData).signals).toMatchObject({ applicationsThisMonth: 2, possibleRepeatOf: [first.trackingNumber], sameInformation: [] });
    expect(hints(h).at(-1)?.text).toContain("不予重复处理");
  });

  it("an organisation with the same description but another document number is not flagged; with the same number it is", async () => {
    const h = await memoryHarness();
    const description = "关于进一步优化政务服务窗口设置的通知";
    const a = await registered(h, organisation(1, { description, documentNumber: "黄行服〔2025〕3号" }));
    const b = await registered(h, organisation(2, { description, documentNumber: "黄行服〔2025〕4号" }));
    expect((await caseOf(h, b.caseId)).flags).toEqual([]);
    expect(await signalsOf(h, b.caseId)).toEqual({ applicationsThisMonth: 1, sameInformation: [], possibleRepeatOf: [] });
    const c = await registered(h, organisation(3, { description, documentNumber: "黄行服[2025]3号" }));
    expect(await signalsOf(h, c.caseId)).toMatchObject({ sameInformation: [a.trackingNumber] });
    expect(hints(h)).toHaveLength(1);
  });

  it("once per case: a concurrent change is retried, a second call and the redelivered hand-off change nothing", async () => {
    const h = await memoryHarness();
    const s = await submitApplication(h.deps, person(1));
    await h.settle();
    const register = (await h.openTask(s.caseId, "register"))!;
    // registered without consuming the review hand-off yet
    await completeTask(h.deps, await h.signIn("office"), register.taskId, { outcome: "registered" });
    const stale = await caseOf(h, s.caseId);
    const review = (await h.openTask(s.caseId, "review"))!;
    expect(review.round).toBe(1);
    // someone changes the case after we read it
    await commitChange(h.deps, { case: stale, expectedVersion: stale.version, events: [{ actor: { kind: "system" }, type: "note", summary: "并发修改" }] });
    await recordSignals(h.deps, stale, review);
    const c = await caseOf(h, s.caseId);
    expect((c.data as ApplicationData).signals).toEqual({ applicationsThisMonth: 1, sameInformation: [], possibleRepeatOf: [] });
    const store = h.deps.store as MemoryStore;
    const delivered = h.consumed.length;
    await h.settle(); // the review hand-off, delivered once
    const handOffs = h.consumed.slice(delivered).filter((d) => d.queue !== "transparency" && d.queue !== "mail" && d.queue !== "timers");
    expect(handOffs.length).toBeGreaterThan(0);
    const commits = store.commits();
    const events = await h.deps.store.cases.events(s.caseId);
    await recordSignals(h.deps, c, review);
    for (const d of handOffs) await h.consume(d.queue, d.body); // and delivered again
    await h.settle();
    expect(store.commits() - commits).toBe(0);
    expect((await h.deps.store.cases.events(s.caseId)).length).toBe(events.length);
    expect(events.filter((e) => e.type === "signals.recorded")).toHaveLength(1);
    // its index entries once each
    const month = await h.deps.store.signals.list(`applicant#${c.agencyCode}#${(c.data as ApplicationData).applicantKey}#2026-03`);
    expect(month.map((e) => e.caseId)).toEqual([s.caseId]);
  });

  it("a second review round (after a correction) does not compute again", async () => {
    const h = await memoryHarness();
    const s = await registered(h, person(1));
    const c = await caseOf(h, s.caseId);
    const task = { ...(await h.openTask(s.caseId, "review"))!, round: 2 };
    const withoutSignals = { ...c, data: { ...c.data, signals: undefined } };
    const commits = (h.deps.store as MemoryStore).commits();
    await recordSignals(h.deps, withoutSignals, task);
    expect((h.deps.store as MemoryStore).commits()).toBe(commits);
  });
});
