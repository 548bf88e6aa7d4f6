import { readdirSync, readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { allocatePorts, eventually, removeDataDir, startLocalProcess, type LocalProcess } from "../support/local-process";
import { localApi } from "../support/local-api";
import { serviceCenter, validApplication } from "../support/app";

/**
 * The reliability proof (issue 7, item 7): 20 clients submit applications at once, the
 * whole local stack (every process of it: the host and its in-process stand-ins, DynamoDB
 * Local) is SIGKILLed mid-load, restarted on the same data folder and ports, and within
 * 60 s every accepted application (201 received) exists exactly once, with exactly one
 * registration task and exactly one office email.
 */
const CLIENTS = 20;
/** the kill comes once this many were accepted (with up to 20 more in flight)… */
const KILL_AT_ACCEPTED = 25;
/** …or after this much load, should intake be throttled */
const KILL_AFTER_MS = 15_000;
const RECOVERY_MS = 60_000;

const stacks: LocalProcess[] = [];
afterAll(async () => {
  for (const s of stacks) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
  if (stacks[0]) removeDataDir(stacks[0].dataDir);
});

/** `pid` and every process below it, parents first, from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // ended while we looked
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

/**
 * SIGKILL for every process of the stack. The app's own process (the host with the
 * handlers, and in it the SQS, S3 and Scheduler stand-ins and the mail catcher) and every
 * helper die at one instant: all are stopped first, so none runs on while the next is
 * killed. DynamoDB Local is killed right after it has answered one more request. It
 * acknowledges a transaction before the transaction is on disk (killed straight after an
 * acknowledgement it lost the last acknowledged transaction in 10 of 12 tries; after one
 * more request of any kind, in none of 12), which DynamoDB does not do: without that one
 * request this test would measure the stand-in's durability instead of the app's.
 */
async function killStack(stack: LocalProcess): Promise<{ pids: number[]; store: number[] }> {
  const pids = processTree(stack.child.pid!);
  const store = pids.filter((pid) => /DynamoDBLocal|DynamoDbLocal/.test(commandLine(pid)));
  const app = pids.filter((pid) => !store.includes(pid));
  for (const pid of app) process.kill(pid, "SIGSTOP");
  for (const pid of app) process.kill(pid, "SIGKILL");
  const env = localApi(stack).env;
  const ddb = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION ?? "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  await ddb.send(new ListTablesCommand({})).finally(() => ddb.destroy());
  for (const pid of store) process.kill(pid, "SIGKILL");
  await eventually(async () => (pids.every(gone) ? true : undefined), 10_000, "every process of the stack to die");
  return { pids, store };
}

interface Load {
  accepted: string[];
  statuses: Record<string, number>;
  /** requests that had no answer when the stack died */
  cut: number;
}

/** A JSON POST through `agent`; rejects when the connection dies before the answer is complete. */
function post(url: string, body: unknown, agent: Agent): Promise<{ status: number; body: unknown }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((ok, fail) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": data.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", fail);
      res.on("aborted", () => fail(new Error("aborted")));
      res.on("end", () => {
        if (!res.complete) return fail(new Error("incomplete answer"));
        let parsed: unknown = {};
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          // not JSON: the status still counts
        }
        ok({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on("error", fail);
    req.end(data);
  });
}

/** 20 clients submitting one application after another until the stack is killed under them. */
async function loadAndKill(stack: LocalProcess): Promise<Load & { killedAt: number; pids: number[]; store: number[] }> {
  const load: Load = { accepted: [], statuses: {}, cut: 0 };
  let kill: Promise<{ pids: number[]; store: number[] }> | undefined;
  let killedAt = 0;
  const started = Date.now();
  const killNow = () => {
    killedAt = Date.now();
    kill ??= killStack(stack);
  };
  const client = async (c: number) => {
    // each client from an address of its own (all of 127.0.0.0/8 is this machine), as 20 citizens would be
    const agent = new Agent({ keepAlive: true, localAddress: `127.0.0.${c + 2}` });
    try {
      for (let i = 0; !kill; i++) {
        try {
          const application = validApplication({ description: `第${c}号客户端的第${i}份申请：2025年度窗口服务满意度调查结果` });
          const res = await post(`${stack.baseUrl}/api/v1/applications`, application, agent);
          load.statuses[res.status] = (load.statuses[res.status] ?? 0) + 1;
          const trackingNumber = (res.body as { trackingNumber?: unknown }).trackingNumber;
          if (res.status === 201 && typeof trackingNumber === "string") load.accepted.push(trackingNumber);
        } catch {
          // the stack died under this request: no answer, so nothing was promised
          load.cut++;
          return;
        }
        if (!kill && (load.accepted.length >= KILL_AT_ACCEPTED || Date.now() - started > KILL_AFTER_MS)) killNow();
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  return { ...load, killedAt, ...(await kill!) };
}

describe("crash safety under load", () => {
  it("SIGKILL of the whole stack mid-load: after a restart every accepted application is there once, with one registration task and one office email", async () => {
    // Prepare
    const ports = await allocatePorts();
    const t0 = Date.now();
    const first = await startLocalProcess({ ports });
    stacks.push(first);
    const loadStartedAt = Date.now();

    // Act: load, kill, restart on the same data and ports
    const load = await loadAndKill(first);
    const second = await startLocalProcess({ ports, dataDir: first.dataDir });
    stacks.push(second);
    const restartedAt = Date.now();
    const api = localApi(second);
    const token = await api.token("office", serviceCenter);
    const auth = { authorization: `Bearer ${token}` };

    // Assess: within 60 s, every accepted application has its case, its registration task and its email
    const officeMail = async () => (await api.mail()).filter((m) => m.subject.includes("【待办】"));
    const caseOf = new Map<string, string>();
    let missing: Record<string, string[]> = {};
    await eventually(
      async () => {
        for (const trackingNumber of load.accepted) {
          if (caseOf.has(trackingNumber)) continue;
          const res = await api.call("GET", `/api/v1/cases?trackingNumber=${trackingNumber}`, undefined, auth);
          const caseId = res.body.results?.[0]?.caseId as string | undefined;
          if (caseId) caseOf.set(trackingNumber, caseId);
        }
        const registerTasks = (await openTasks()).filter((t) => t.step === "register");
        const mails = await officeMail();
        missing = {
          case: load.accepted.filter((n) => !caseOf.has(n)),
          task: load.accepted.filter((n) => caseOf.has(n) && !registerTasks.some((t) => t.caseId === caseOf.get(n))),
          email: load.accepted.filter((n) => !mails.some((m) => m.subject.includes(n))),
        };
        return Object.values(missing).every((l) => l.length === 0) ? true : undefined;
      },
      RECOVERY_MS,
      "every accepted application with its task and email",
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; still missing: ${JSON.stringify(missing)}\n${second.output().slice(-4000)}`);
    });
    const recoveredAt = Date.now();
    // then let everything still in flight finish (a duplicate would come now) before counting
    await api.idle(RECOVERY_MS);

    const mails = await officeMail();
    const registerTasks = (await openTasks()).filter((t) => t.step === "register");
    const duplicates = { cases: 0, tasks: 0, mails: 0 };
    for (const trackingNumber of load.accepted) {
      const found = (await api.call("GET", `/api/v1/cases?trackingNumber=${trackingNumber}`, undefined, auth)).body.results as Array<{ caseId: string }>;
      expect(found, trackingNumber).toHaveLength(1);
      duplicates.cases += found.length - 1;
      const tasks = registerTasks.filter((t) => t.caseId === found[0]!.caseId);
      expect(tasks, trackingNumber).toHaveLength(1);
      duplicates.tasks += tasks.length - 1;
      const emails = mails.filter((m) => m.subject.includes(trackingNumber));
      expect(emails, trackingNumber).toHaveLength(1);
      duplicates.mails += emails.length - 1;
    }
    const stored = (await api.scan()).filter((i) => i.sk === "CASE").length;

    // the figures of the run, for the issue's closing note
    console.info(
      JSON.stringify({
        clients: CLIENTS,
        accepted: load.accepted.length,
        statuses: load.statuses,
        cutByKill: load.cut,
        killedProcesses: load.pids.length,
        found: caseOf.size,
        storedCases: stored,
        storedWithoutAnswer: stored - load.accepted.length,
        duplicates,
        firstStartMs: loadStartedAt - t0,
        loadMs: load.killedAt - loadStartedAt,
        restartMs: restartedAt - load.killedAt,
        recoveredAfterRestartMs: recoveredAt - restartedAt,
        idleAfterMs: Date.now() - recoveredAt,
      }),
    );
    expect(load.accepted.length).toBeGreaterThan(0);
    // mid-load: requests were in flight when the stack died
    expect(load.cut).toBeGreaterThan(0);
    expect(load.pids.length).toBeGreaterThan(1);
    expect(load.store).toHaveLength(1);
    expect(recoveredAt - restartedAt).toBeLessThan(RECOVERY_MS);
    // stored beyond the accepted ones: in flight at the kill, or answered 503 after the write landed (item 4's Idempotency-Key makes their retry safe)
    expect(stored - load.accepted.length).toBeLessThanOrEqual(load.cut + (load.statuses[503] ?? 0));

    /** every open task of the office's inbox, page after page (the body is one page; X-Next-Cursor names the next) */
    async function openTasks(): Promise<Array<{ caseId: string; step: string }>> {
      const out: Array<{ caseId: string; step: string }> = [];
      let cursor: string | null = "";
      while (cursor !== null) {
        const res = await api.call("GET", `/api/v1/tasks?status=open&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, undefined, auth);
        expect(res.status).toBe(200);
        out.push(...(res.body as Array<{ caseId: string; step: string }>));
        cursor = res.headers.get("x-next-cursor");
      }
      return out;
    }
  }, 120_000);
});
