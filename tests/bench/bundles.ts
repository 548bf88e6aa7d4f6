/**
 * Lambda bundle figures: each deployable manifest entry bundled exactly as the CDK app bundles
 * it (infra/entry-bundles.ts bundleEntry), then per bundle its minified size, its module init
 * (a fresh `node` per run, timing `await import(bundle)`, median of 3) and the AWS SDK
 * clients and large dependencies it carries, beside the goals of issue 12: 300 KB, 150 ms.
 *
 * Standalone: `npx tsx tests/bench/bundles.ts` (BENCH_BUNDLE_DETAIL=1 adds the biggest
 * packages of each bundle; BENCH_NODE_OPTIONS is passed to the timed process).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Metafile } from "esbuild";
import { repoRoot } from "../../infra/build-app";
import { deployableFunctions } from "../../infra/deployment";
import { bundleEntry, bundleFile } from "../../infra/entry-bundles";

export const bundleGoals = { kb: 300, initMs: 150 };

/** Packages worth naming when a bundle carries them: each belongs only where documents or mail are made. */
const heavyPackages = ["docx", "exceljs", "nodemailer", "mailparser", "fflate", "sanitize-html", "busboy", "zod locales"];

export interface BundleFigure {
  entry: string;
  /** the manifest functions that deploy this bundle (all workflow steps share one) */
  functions: string[];
  /** what a cold start loads (minified): the handler file and the chunks it imports statically */
  kb: number;
  /** every file of the deployed asset: the handler file and the chunks it loads when first needed (a source map would count here) */
  assetKb: number;
  assetFiles: string[];
  /** median of the runs, wall clock */
  initMs: number;
  initRunsMs: number[];
  /** median of the runs, CPU time of the import */
  initCpuMs: number;
  /** in any file of the asset, e.g. ["dynamodb", "sqs"] for @aws-sdk/client-dynamodb and client-sqs */
  sdkClients: string[];
  heavy: string[];
  /** the biggest packages (or own source, as "(app)") by bytes loaded at init */
  biggest: Array<{ name: string; kb: number }>;
}

const kb = (bytes: number) => Math.round(bytes / 1024);

/** `node_modules/@aws-sdk/client-s3/dist-es/…` → `@aws-sdk/client-s3`; own files → "(app)". */
function packageOf(input: string): string {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return "(app)";
  const rest = input.slice(at + "node_modules/".length).split("/");
  const name = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  // zod's locales are one folder of many small files: worth a name of their own
  return name === "zod" && rest.includes("locales") ? "zod locales" : name;
}

/** The handler file and the chunks it imports statically (transitively): what a cold start loads; `import()`ed chunks wait for first use. */
function loadedAtInit(metafile: Metafile): Set<string> {
  const index = Object.keys(metafile.outputs).find((file) => file.endsWith(`/${bundleFile}`))!;
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  visit(index);
  return seen;
}

/** Bytes per package in `files` of the output (all of them when absent). */
function packagesBySize(metafile: Metafile, files?: Set<string>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith(".map") || (files && !files.has(file))) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return sizes;
}

/**
 * One fresh process: milliseconds from before `import()` until the module (and all it imports)
 * has run, wall clock and CPU (user + system) — on a shared machine the CPU figure is the steadier.
 */
function timeImport(file: string): Promise<{ wall: number; cpu: number }> {
  const script =
    "const t0 = performance.now(), c0 = process.cpuUsage(); await import(process.env.BENCH_BUNDLE_URL); const c = process.cpuUsage(c0); process.stdout.write(`${performance.now() - t0} ${(c.user + c.system) / 1000}`);";
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: path.dirname(file),
      // what Lambda gives every function; no endpoints, no credentials: init must not call out
      env: {
        PATH: process.env.PATH ?? "",
        AWS_REGION: "cn-north-1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        BENCH_BUNDLE_URL: pathToFileURL(file).href,
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const [wall, cpu] = out.split(" ").map(Number);
      if (code !== 0 || !Number.isFinite(wall) || !Number.isFinite(cpu)) reject(new Error(`importing ${file} failed (${code}): ${err.slice(0, 500)}`));
      else resolve({ wall: wall!, cpu: cpu! });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Bundles every deployable manifest entry and measures it; runs one process at a time (shared cores). */
export async function bundleFigures(runs = 3): Promise<BundleFigure[]> {
  const byEntry = new Map<string, string[]>();
  for (const f of deployableFunctions) byEntry.set(f.entry, [...(byEntry.get(f.entry) ?? []), f.name]);
  const root = mkdtempSync(path.join(tmpdir(), "gongkai-bench-bundles-"));
  const figures: BundleFigure[] = [];
  try {
    for (const [entry, names] of byEntry) {
      const dir = path.join(root, entry.replace(/[/.]/g, "_"));
      const { metafile } = bundleEntry(repoRoot, entry, dir, { metafile: true });
      const file = path.join(dir, bundleFile);
      const assetFiles = readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
        .sort();
      const sizes = packagesBySize(metafile!);
      const initFiles = loadedAtInit(metafile!);
      const atInit = packagesBySize(metafile!, initFiles);
      const runsOf: Array<{ wall: number; cpu: number }> = [];
      for (let i = 0; i < runs; i++) runsOf.push(await timeImport(file));
      const initRunsMs = runsOf.map((r) => r.wall);
      figures.push({
        entry,
        functions: names,
        // the metafile's paths are relative to esbuild's working directory, the repository
        kb: kb([...initFiles].reduce((sum, f) => sum + statSync(path.join(repoRoot, f)).size, 0)),
        assetKb: kb(assetFiles.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0)),
        assetFiles,
        initMs: Math.round(median(initRunsMs)),
        initRunsMs: initRunsMs.map(Math.round),
        initCpuMs: Math.round(median(runsOf.map((r) => r.cpu))),
        sdkClients: [...sizes.keys()].filter((p) => p.startsWith("@aws-sdk/client-")).map((p) => p.slice("@aws-sdk/client-".length)).sort(),
        // zod's own English messages (3 KB) are always there; the other locales are the bloat
        heavy: heavyPackages.filter((p) => (sizes.get(p) ?? 0) > (p === "zod locales" ? 10_240 : 0)),
        biggest: [...atInit].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([name, bytes]) => ({ name, kb: kb(bytes) })),
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}

/** A table: each figure beside its goal, "✗" where it is over. */
export function printBundles(figures: BundleFigure[], detail = false): void {
  const mark = (value: number, goal: number) => `${value}${value > goal ? " ✗" : ""}`;
  const rows = figures.map((f) => [
    f.functions.length > 1 ? `${f.functions[0]} … (${f.functions.length} functions)` : f.functions[0]!,
    mark(f.kb, bundleGoals.kb),
    f.assetKb === f.kb ? "" : String(f.assetKb),
    mark(f.initMs, bundleGoals.initMs),
    String(f.initCpuMs),
    f.sdkClients.join(" "),
    f.heavy.join(" "),
  ]);
  const head = ["function", `KB (≤ ${bundleGoals.kb})`, "asset KB", `init ms (≤ ${bundleGoals.initMs})`, "init CPU ms", "SDK clients", "large packages"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const over = figures.filter((f) => f.kb > bundleGoals.kb || f.initMs > bundleGoals.initMs).length;
  console.log(`${figures.length} bundles, ${over} over a goal (✗); init = median of ${figures[0]?.initRunsMs.length ?? 0} fresh processes`);
  if (detail) {
    for (const f of figures) console.log(`${f.entry}: ${f.biggest.map((b) => `${b.name} ${b.kb}`).join(", ")}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  printBundles(await bundleFigures(), process.env.BENCH_BUNDLE_DETAIL === "1");
}
