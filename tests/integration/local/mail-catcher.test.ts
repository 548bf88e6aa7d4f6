import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher } from "../../../shared/adapters/local/mail-catcher";
import type { CaughtMail, MailCatcher } from "../../../shared/adapters/local/mail-catcher";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mail-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function send(mail: MailCatcher, subject: string) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port: mail.smtpPort, secure: false, ignoreTLS: true });
  await transport.sendMail({
    from: "公开系统 <gongkai@localhost>",
    to: ["wang@example.cn", "li@example.cn"],
    subject,
    text: "您的申请已登记。",
    html: "<p>您的申请已<b>登记</b>。</p>",
  });
  transport.close();
}

describe("mail catcher", () => {
  it("catches a nodemailer message and lists it over HTTP, newest first", async () => {
    // Prepare
    const mail = await startMailCatcher();
    try {
      // Act
      await send(mail, "第一封");
      await send(mail, "受理通知");
      const caught = await mail.waitFor((m) => m.subject === "受理通知", 5_000);
      const listed = (await (await fetch(new URL("messages", mail.webUrl))).json()) as CaughtMail[];
      const page = await (await fetch(mail.webUrl)).text();
      const detail = await (await fetch(`${mail.webUrl}?id=${caught.id}`)).text();

      // Assess
      expect(caught).toMatchObject({ from: "gongkai@localhost", to: ["wang@example.cn", "li@example.cn"], text: "您的申请已登记。" });
      expect(caught.html).toContain("<b>登记</b>");
      expect(listed.map((m) => m.subject)).toEqual(["受理通知", "第一封"]);
      expect(page).toContain("本地邮件收件箱");
      expect(page.indexOf("受理通知")).toBeLessThan(page.indexOf("第一封"));
      expect(detail).toContain("您的申请已登记。");
      expect(detail).toContain("&#60;b&#62;登记&#60;/b&#62;"); // HTML body shown sandboxed, escaped into srcdoc
    } finally {
      await mail.stop();
    }
  });

  it("clears with DELETE /messages and keeps mail across a restart when persisted", async () => {
    // Prepare
    const dataFile = join(dir, "mail.json");
    const first = await startMailCatcher({ dataFile });
    await send(first, "重启前");
    await first.waitFor((m) => m.subject === "重启前");
    await first.stop();

    // Act
    const second = await startMailCatcher({ dataFile });
    const kept = second.messages().map((m) => m.subject);
    const del = await fetch(new URL("messages", second.webUrl), { method: "DELETE" });
    const after = (await (await fetch(new URL("messages", second.webUrl))).json()) as CaughtMail[];
    await second.stop();

    // Assess
    expect(kept).toEqual(["重启前"]);
    expect(del.status).toBe(204);
    expect(after).toEqual([]);
  });

  it("empties the inbox from its page only with the page's CSRF token, never from another site's form", async () => {
    // Prepare
    const mail = await startMailCatcher();
    try {
      await send(mail, "留着");
      await mail.waitFor((m) => m.subject === "留着");
      const page = await fetch(mail.webUrl);
      const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const token = /name="csrfToken" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
      const clear = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${mail.webUrl}?clear=1`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });

      // Act
      const crossSite = await clear("");
      const guessed = await clear(`csrfToken=${"x".repeat(32)}`, { cookie });
      const kept = mail.messages().map((m) => m.subject);
      const own = await clear(`csrfToken=${token}`, { cookie });

      // Assess
      expect(cookie).toMatch(/^gk_local_csrf=/);
      expect(page.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict/);
      expect(crossSite.status).toBe(403);
      expect(await crossSite.text()).toContain("页面已过期或请求来源无效");
      expect(guessed.status).toBe(403);
      expect(kept).toEqual(["留着"]);
      expect(own.status).toBe(303);
      expect(mail.messages()).toEqual([]);
    } finally {
      await mail.stop();
    }
  });

  it("recovers accepted mail from the journal alone, as after a SIGKILL, ignoring a torn last line", async () => {
    // Prepare: mail accepted by the first instance lives only in the journal (no compaction on stop)
    const dataFile = join(dir, "mail-kill.json");
    const first = await startMailCatcher({ dataFile });
    await send(first, "一");
    await send(first, "二");
    await first.stop();
    const snapshot = readFileSync(dataFile, "utf8");
    appendFileSync(`${dataFile}.journal`, '{"op":"add","mail":{"id":"torn","sub');

    // Act
    const second = await startMailCatcher({ dataFile });
    const kept = second.messages().map((m) => m.subject);
    await send(second, "三");
    await second.stop();
    const third = await startMailCatcher({ dataFile });
    const keptAgain = third.messages().map((m) => m.subject);
    await third.stop();

    // Assess
    expect(JSON.parse(snapshot)).toEqual([]);
    expect(kept).toEqual(["二", "一"]);
    expect(keptAgain).toEqual(["三", "二", "一"]);
  });

  it("waitFor rejects when nothing matches in time", async () => {
    const mail = await startMailCatcher();
    await expect(mail.waitFor((m) => m.subject === "never", 50)).rejects.toThrow(/No caught mail/);
    await mail.stop();
  });
});
