import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { portIsFree } from "../../shared/adapters/local/dynamodb-local";

const repoRoot = resolve(import.meta.dirname, "../..");

export interface LocalProcess {
  baseUrl: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: the process dies mid-step, nothing gets to clean up */
  kill(): Promise<void>;
  /** SIGTERM: the orderly stop of Ctrl-C */
  stop(): Promise<number | null>;
}

export interface LocalPorts {
  http: number;
  dynamodb: number;
  sqs: number;
  scheduler: number;
  s3: number;
  smtp: number;
  mailWeb: number;
}

/**
 * A free port below the kernel's ephemeral range (32768–60999 here). A port the kernel handed out
 * with listen(0) is one it also hands to outgoing connections: a stack restarted on its old ports
 * (crash tests) found one taken by a connection to its own DynamoDB Local.
 */
async function stablePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await portIsFree(port))) {
      taken.add(port);
      return port;
    }
  }
}

export async function allocatePorts(): Promise<LocalPorts> {
  const taken = new Set<number>();
  return {
    http: await stablePort(taken),
    dynamodb: await stablePort(taken),
    sqs: await stablePort(taken),
    scheduler: await stablePort(taken),
    s3: await stablePort(taken),
    smtp: await stablePort(taken),
    mailWeb: await stablePort(taken),
  };
}

/**
 * Starts the whole local system exactly as `npm start` does (same entry file), on
 * free ports and a data folder of its own; resolves once the portal answers.
 */
export async function startLocalProcess(
  opts: { dataDir?: string; ports?: LocalPorts; timeoutMs?: number; viaNpm?: boolean; clockStart?: string } = {},
): Promise<LocalProcess> {
  if (opts.clockStart) {
    // the local clock is real time plus a persisted offset (shared/adapters/local/local-clock.ts): start it there
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "gongkai-e2e-"));
    writeFileSync(join(dataDir, "clock.json"), JSON.stringify({ offsetMs: Date.parse(opts.clockStart) - Date.now() }));
    opts = { ...opts, dataDir };
  }
  // ports from freePort are only free when asked: another stack starting at the same moment may take one
  // first. That stack then answers on "our" port, so readiness is our own banner, and a collision retries.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ ...opts, ports: opts.ports ?? (await allocatePorts()) });
    } catch (err) {
      if (opts.ports || attempt >= 3 || !(err instanceof PortCollision)) throw err;
    }
  }
}

class PortCollision extends Error {}

const READY_BANNER = "local stack is up";

async function startOnce(opts: { dataDir?: string; ports: LocalPorts; timeoutMs?: number; viaNpm?: boolean }): Promise<LocalProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "gongkai-e2e-"));
  const ports = opts.ports;
  let output = "";
  // viaNpm: exactly the README's command, signals and all
  const [command, args] = opts.viaNpm
    ? ["npm", ["start", "--silent"]]
    : [process.execPath, ["--import", "tsx", join(repoRoot, "shared/adapters/local/start.ts")]];
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      GONGKAI_DATA_DIR: dataDir,
      PORT: String(ports.http),
      DYNAMODB_PORT: String(ports.dynamodb),
      SQS_PORT: String(ports.sqs),
      SCHEDULER_PORT: String(ports.scheduler),
      S3_PORT: String(ports.s3),
      SMTP_PORT: String(ports.smtp),
      MAIL_WEB_PORT: String(ports.mailWeb),
      PUBLIC_BASE_URL: `http://127.0.0.1:${ports.http}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  // a test file that fails before its afterAll knows of this stack must not leave it running (nor its Java)
  const orphaned = () => child.kill("SIGTERM");
  process.once("exit", orphaned);
  const exited = new Promise<number | null>((ok) =>
    child.once("exit", (code) => {
      process.off("exit", orphaned);
      ok(code);
    }),
  );
  const baseUrl = `http://127.0.0.1:${ports.http}`;

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await exited;
      const message = `local stack exited early (${child.exitCode}):\n${output}`;
      if (/already in use|EADDRINUSE/.test(output)) {
        if (!opts.dataDir) removeDataDir(dataDir);
        throw new PortCollision(message);
      }
      throw new Error(message);
    }
    if (output.includes(READY_BANNER)) {
      try {
        const res = await fetch(`${baseUrl}/`);
        if (res.status === 200) break;
      } catch {
        // printed but not answering: only while shutting down after a failure
      }
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`local stack did not answer within the time limit:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    baseUrl,
    dataDir,
    child,
    output: () => output,
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** "0100007F" (little-endian, as /proc prints it) → "127.0.0.1"; 32 hex digits → an IPv6 address. */
function procAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".");
  const words: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    // each 32-bit word is little-endian
    const bytes = [3, 2, 1, 0].map((i) => word.slice(i * 2, i * 2 + 2));
    words.push(`${bytes[0]}${bytes[1]}`, `${bytes[2]}${bytes[3]}`);
  }
  const groups = words.map((g) => parseInt(g, 16).toString(16));
  const v6 = groups.join(":");
  // ::ffff:a.b.c.d, the IPv4-mapped form
  if (groups.slice(0, 5).every((g) => g === "0") && groups[5] === "ffff") {
    const n = parseInt(words[6]! + words[7]!, 16);
    return `::ffff:${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".")}`;
  }
  return v6.replace(/(^|:)0(:0)+(:|$)/, "::");
}

/**
 * Every address something listens on at `port` (TCP, IPv4 and IPv6), read from
 * /proc/net/tcp and /proc/net/tcp6 as `ss -ltn` would show them.
 */
export function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [local, , state] = [cols[1], cols[2], cols[3]];
      if (!local || state !== "0A") continue; // 0A = LISTEN
      const [addr, hexPort] = local.split(":") as [string, string];
      if (parseInt(hexPort, 16) === port) out.push(procAddress(addr));
    }
  }
  return out;
}
