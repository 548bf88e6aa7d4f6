import type { BundlingOptions, ILocalBundling } from "aws-cdk-lib";
import { AssetHashType, DockerImage, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { buildSync } from "esbuild";
import type { BuildOptions, BuildResult } from "esbuild";
import type { IConstruct } from "constructs";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { functions } from "../shared/manifest";

/** The file every bundle's handler lives in: the Lambda handler is `index.handler`. */
export const bundleFile = "index.mjs";

/** Where the handler's chunks go beside `index.mjs`: loaded by `import()` when first used. */
const chunkDir = "chunks";

/**
 * What the functions deployed from `entry` may touch, from their manifest grants (several
 * functions share an entry: every workflow step runs functions/steps/step.ts).
 */
export function entryGrants(entry: string): { files: boolean } {
  const specs = functions.filter((f) => f.entry === entry);
  return { files: specs.some((f) => Boolean(f.grants.files)) };
}

/**
 * How one manifest entry is bundled: the CDK app and the bundle bench (tests/bench/bundles.ts)
 * both call this, so the figures are those of what is deployed.
 */
export function esbuildOptions(repoRoot: string, entry: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: repoRoot,
    entryPoints: { index: path.join(repoRoot, entry) },
    outdir,
    outExtension: { ".js": ".mjs" },
    // what a handler loads only when it needs it (docx, exceljs, the S3 client, mail) becomes its
    // own chunk: parsed on first use, not at every cold start
    splitting: true,
    chunkNames: `${chunkDir}/[name]-[hash]`,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    mainFields: ["module", "main"],
    // Some CommonJS dependencies call require(); ESM output has none without this.
    banner: { js: "import { createRequire as __gongkaiCreateRequire } from 'node:module'; const require = __gongkaiCreateRequire(import.meta.url);" },
    // A function without the files grant gets no S3 client at all (shared/adapters/aws/app-deps.ts).
    define: entryGrants(entry).files ? {} : { "process.env.GONGKAI_BUNDLE_NO_FILES": "true" },
    minify: true,
    // maps are written beside the asset, never into it (bundleEntry): Lambda neither ships nor parses them
    sourcemap: "external",
    sourcesContent: false,
    // Bundle the SDK too: the version we test is the version that runs.
    external: [],
    logLevel: "warning",
  };
}

/**
 * Bundles `entry` into `outputDir`, the asset's folder, as the CDK app deploys it. Source maps
 * go to `sourceMapsDir` (for reading a minified stack trace offline), or are dropped.
 */
export function bundleEntry(
  repoRoot: string,
  entry: string,
  outputDir: string,
  opts: { metafile?: boolean; sourceMapsDir?: string } = {},
): BuildResult {
  const result = buildSync({ ...esbuildOptions(repoRoot, entry, outputDir), metafile: opts.metafile ?? false });
  for (const file of readdirSync(outputDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".map"))) {
    if (opts.sourceMapsDir) {
      mkdirSync(path.dirname(path.join(opts.sourceMapsDir, file)), { recursive: true });
      renameSync(path.join(outputDir, file), path.join(opts.sourceMapsDir, file));
    } else {
      rmSync(path.join(outputDir, file));
    }
  }
  return result;
}

/**
 * Runs esbuild in-process for one manifest entry (no Docker, no child process). It
 * keeps a copy of what it bundled, so even if CDK's own asset cache misses (another stack,
 * another app in the same test process) esbuild still runs once per entry.
 */
class EsbuildEntry implements ILocalBundling {
  private bundledTo: string | undefined;

  constructor(
    readonly repoRoot: string,
    readonly entry: string,
    private readonly onBundle: (entry: string) => void,
  ) {}

  /** What CDK's asset cache key sees: the entry, not the memo (which changes after the first run). */
  toJSON(): { esbuild: string } {
    return { esbuild: this.entry };
  }

  tryBundle(outputDir: string): boolean {
    if (this.bundledTo && existsSync(path.join(this.bundledTo, bundleFile))) {
      cpSync(this.bundledTo, outputDir, { recursive: true });
      return true;
    }
    // CDK bundles into <assembly>/bundling-temp-…: the maps go to <assembly>/sourcemaps/<entry>/
    const sourceMapsDir = path.join(path.dirname(outputDir), "sourcemaps", this.entry.replace(/\.ts$/, ""));
    bundleEntry(this.repoRoot, this.entry, outputDir, { sourceMapsDir });
    // CDK moves the output into the assembly when staging is done, so keep a copy of our own
    const copy = mkdtempSync(path.join(tmpdir(), "gongkai-bundle-"));
    cpSync(outputDir, copy, { recursive: true });
    this.bundledTo = copy;
    this.onBundle(this.entry);
    return true;
  }
}

/**
 * One Lambda code asset per distinct manifest entry. Every workflow step's Lambda runs
 * the same `functions/steps/step.ts`, so bundling per function would bundle it once per
 * step and grow synth time and the asset count with every step. Here each entry is
 * bundled once and its `lambda.Code` is shared by all functions of a stack (a CDK
 * `Code` cannot span stacks; the assets of two stacks still have the same hash, so the
 * cloud assembly and the bootstrap bucket hold the bundle once).
 *
 * Bundling goes through CDK's asset staging, so `-c aws:cdk:bundling-stacks=[]` (used by
 * the tests that read only the construct tree) skips it as it does for NodejsFunction.
 */
export class EntryBundles {
  private readonly bundlers = new Map<string, EsbuildEntry>();
  private readonly codes = new Map<Stack, Map<string, lambda.Code>>();
  /** entries esbuild actually ran for, in order (the tests check each appears once) */
  readonly bundled: string[] = [];

  constructor(private readonly repoRoot: string) {}

  /** The code of `entry` (relative to the repository root) for a function in `scope`'s stack. */
  codeFor(scope: IConstruct, entry: string): lambda.Code {
    const stack = Stack.of(scope);
    const perStack = this.codes.get(stack) ?? new Map<string, lambda.Code>();
    this.codes.set(stack, perStack);
    let code = perStack.get(entry);
    if (!code) {
      if (!existsSync(path.join(this.repoRoot, entry))) throw new Error(`manifest entry ${entry} does not exist`);
      const bundling: BundlingOptions = {
        // Never pulled: local bundling always succeeds, and CDK requires an image to be named.
        image: DockerImage.fromRegistry("gongkai/bundles-locally-with-esbuild"),
        local: this.bundler(entry),
      };
      // OUTPUT hash: the hash of the bundle, not of the whole repository (no source walk).
      code = lambda.Code.fromAsset(this.repoRoot, { assetHashType: AssetHashType.OUTPUT, bundling });
      perStack.set(entry, code);
    }
    return code;
  }

  private bundler(entry: string): EsbuildEntry {
    let bundler = this.bundlers.get(entry);
    if (!bundler) {
      bundler = new EsbuildEntry(this.repoRoot, entry, (e) => this.bundled.push(e));
      this.bundlers.set(entry, bundler);
    }
    return bundler;
  }
}
