import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { simpleParser } from "mailparser";
import type { AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";
import { openJournal } from "./journal";
import { listenHost } from "./listen";
import { cookieValue, csrfHiddenInput, issueLocalCsrf, LOCAL_CSRF_COOKIE, LOCAL_CSRF_FIELD, LOCAL_CSRF_REFUSED, localCsrfValid } from "./local-csrf";

export interface CaughtMail {
  id: string;
  /** ISO instant the catcher received it (real time) */
  date: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** what was attached (names and sizes; the content is not kept) */
  attachments?: Array<{ filename: string; contentType: string; size: number }>;
}

export interface MailCatcherOptions {
  /** 0 / undefined = any free port */
  smtpPort?: number;
  httpPort?: number;
  /** the address both listen on; default GONGKAI_LISTEN or 127.0.0.1 (listen.ts) */
  host?: string;
  /** persisted mail (npm start); memory only when absent */
  dataFile?: string;
}

export interface MailCatcher {
  smtpPort: number;
  webUrl: string;
  messages(): CaughtMail[];
  waitFor(predicate: (m: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  clear(): void;
  /** serves the page and JSON API; mount it elsewhere (e.g. the host's /local/mail) */
  handle(req: IncomingMessage, res: ServerResponse): void;
  stop(): Promise<void>;
}

/** one journal line per change; idempotent so a replay onto a fresh snapshot is harmless */
type Change = { op: "add"; mail: CaughtMail } | { op: "clear" };

function applyChange(mail: CaughtMail[], c: Change): void {
  if (c.op === "clear") mail.splice(0);
  else if (!mail.some((m) => m.id === c.mail.id)) mail.push(c.mail);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) => o.value.map((v) => v.address ?? v.name)).filter((x): x is string => !!x);
}

function shanghai(iso: string): string {
  return new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
}

function listPage(mail: CaughtMail[], csrfToken: string): string {
  const rows = mail
    .map(
      (m) =>
        `<tr><td>${esc(shanghai(m.date))}</td><td>${esc(m.from)}</td><td>${esc(m.to.join(", "))}</td><td><a href="?id=${encodeURIComponent(m.id)}">${esc(m.subject || "（无主题）")}</a></td></tr>`,
    )
    .join("\n");
  return layout(
    "本地邮件收件箱",
    `<p>本地运行时发出的全部邮件都在这里（不会真正发出）。共 ${mail.length} 封，最新的在最上面。</p>
<form method="post" action="?clear=1">${csrfHiddenInput(csrfToken)}<button type="submit">清空收件箱</button></form>
<table><thead><tr><th>时间（北京时间）</th><th>发件人</th><th>收件人</th><th>主题</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4">暂无邮件</td></tr>'}</tbody></table>`,
  );
}

function detailPage(m: CaughtMail): string {
  return layout(
    m.subject || "（无主题）",
    `<p><a href="?">← 返回收件箱</a></p>
<dl><dt>时间</dt><dd>${esc(shanghai(m.date))}</dd><dt>发件人</dt><dd>${esc(m.from)}</dd><dt>收件人</dt><dd>${esc(m.to.join(", "))}</dd></dl>
<h2>纯文本</h2><pre>${esc(m.text || "（无）")}</pre>
<h2>附件</h2>${m.attachments?.length ? `<ul>${m.attachments.map((a) => `<li>${esc(a.filename)}（${Math.ceil(a.size / 1024)} KB）</li>`).join("")}</ul>` : "<p>（无）</p>"}
<h2>HTML</h2>${m.html ? `<iframe sandbox="" title="HTML 正文" srcdoc="${esc(m.html)}"></iframe>` : "<p>（无）</p>"}`,
  );
}

/** The clear form's few bytes; anything longer is not that form. */
const MAX_FORM_BYTES = 4 * 1024;

/** Reads a small urlencoded form; undefined when it is larger than MAX_FORM_BYTES or the client went away. */
function readSmallForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((ok) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_FORM_BYTES) {
        req.pause();
        ok(undefined);
      } else chunks.push(c);
    });
    req.on("end", () => ok(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", () => ok(undefined));
  });
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
iframe{width:100%;height:30rem;border:1px solid #ddd}dt{font-weight:bold}</style></head>
<body><h1>${esc(title)}</h1>${body}</body></html>`;
}

export async function startMailCatcher(opts: MailCatcherOptions = {}): Promise<MailCatcher> {
  // snapshot + append-only journal: catching a mail appends one line instead of rewriting the inbox
  const journal = openJournal<CaughtMail[], Change>({
    file: opts.dataFile,
    initial: () => [],
    apply: applyChange,
    size: (m) => m.length,
  });
  const mail = journal.state;
  const waiters = new Set<() => void>();
  const clear = () => journal.commit({ op: "clear" });

  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    banner: "gongkai local mail catcher",
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          const from = addresses(parsed.from)[0] ?? (session.envelope.mailFrom ? session.envelope.mailFrom.address : "");
          // recorded before the SMTP reply: an accepted mail survives a kill
          journal.commit({
            op: "add",
            mail: {
              id: randomUUID(),
              date: new Date().toISOString(),
              from,
              to: envelopeTo.length ? envelopeTo : addresses(parsed.to),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? "", contentType: a.contentType, size: a.size })),
            },
          });
          for (const w of waiters) w();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });

  // without a listener a client's dropped connection (or a busy port) would crash the process
  smtp.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EADDRINUSE") console.error(`[mail-catcher] ${err.message}`);
  });

  const newestFirst = () => [...mail].reverse();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const json = url.pathname.endsWith("/messages");
    if (json && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(newestFirst()));
      return;
    }
    // the JSON API's DELETE cannot come from another site's page (it would need a CORS preflight this never grants)
    if (json && req.method === "DELETE") {
      clear();
      res.writeHead(204).end();
      return;
    }
    // the page's form can: only a post with the page's token empties the inbox
    if (req.method === "POST" && url.searchParams.get("clear") === "1") {
      void readSmallForm(req).then((form) => {
        if (!form) {
          res.writeHead(413, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end("请求内容过大");
          return;
        }
        if (!localCsrfValid(cookieValue(req.headers.cookie, LOCAL_CSRF_COOKIE), form.get(LOCAL_CSRF_FIELD) ?? undefined)) {
          res.writeHead(403, { "content-type": "text/html; charset=utf-8" }).end(layout("无法清空收件箱", `<p>${esc(LOCAL_CSRF_REFUSED)}</p><p><a href="?">← 返回收件箱</a></p>`));
          return;
        }
        clear();
        res.writeHead(303, { location: "?" }).end();
      });
      return;
    }
    if (req.method !== "GET") {
      res.writeHead(405, { "content-type": "text/plain; charset=utf-8" }).end("不支持的请求方法");
      return;
    }
    const id = url.searchParams.get("id");
    const found = id ? mail.find((m) => m.id === id) : undefined;
    if (id && !found) {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end(layout("找不到这封邮件", '<p><a href="?">← 返回收件箱</a></p>'));
      return;
    }
    if (found) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(detailPage(found));
      return;
    }
    const csrf = issueLocalCsrf(cookieValue(req.headers.cookie, LOCAL_CSRF_COOKIE));
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "set-cookie": csrf.setCookie, "cache-control": "no-store" });
    res.end(listPage(newestFirst(), csrf.token));
  };
  const http = createServer(handle);

  const listen = (srv: { listen(port: number, host: string, cb: () => void): unknown; once(ev: "error", cb: (e: NodeJS.ErrnoException) => void): unknown }, port: number, what: string, envName: string) =>
    new Promise<void>((ok, fail) => {
      srv.once("error", (e) => fail(e.code === "EADDRINUSE" ? new Error(`Port ${port} for the ${what} is already in use (set ${envName} to another port).`) : e));
      srv.listen(port, opts.host ?? listenHost(), () => ok());
    });
  await listen(smtp.server, opts.smtpPort ?? 0, "SMTP mail catcher", "SMTP_PORT");
  await listen(http, opts.httpPort ?? 0, "mail catcher page", "MAIL_WEB_PORT");
  const portOf = (a: ReturnType<typeof http.address>) => (typeof a === "object" && a ? a.port : 0);

  return {
    smtpPort: portOf(smtp.server.address()),
    webUrl: `http://127.0.0.1:${portOf(http.address())}/`,
    messages: newestFirst,
    clear,
    waitFor: (predicate, timeoutMs = 5_000) =>
      new Promise<CaughtMail>((ok, fail) => {
        const check = () => {
          const hit = newestFirst().find(predicate);
          if (!hit) return false;
          clearTimeout(timer);
          waiters.delete(onMail);
          ok(hit);
          return true;
        };
        const onMail = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(onMail);
          fail(new Error(`No caught mail matched within ${timeoutMs} ms (${mail.length} caught)`));
        }, timeoutMs);
        waiters.add(onMail);
        check();
      }),
    handle,
    stop: async () => {
      http.closeAllConnections();
      await Promise.all([new Promise<void>((ok) => smtp.close(() => ok())), new Promise<void>((ok) => http.close(() => ok()))]);
      journal.close(); // no compaction here: the next start compacts anyway
    },
  };
}
