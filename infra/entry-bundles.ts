import type { BundlingOptions, ILocalBundling } from "aws-cdk-lib";
import { AssetHashType, DockerImage, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { buildSync } from "esbuild";
import type { IConstruct } from "constructs";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** The file every bundle's handler lives in: the Lambda handler is `index.handler`. */
export const bundleFile = "index.mjs";

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
    buildSync({
      absWorkingDir: this.repoRoot,
      entryPoints: [path.join(this.repoRoot, this.entry)],
      outfile: path.join(outputDir, bundleFile),
      bundle: true,
      platform: "node",
      target: "node22",
      format: "esm",
      mainFields: ["module", "main"],
      // Some CommonJS dependencies call require(); ESM output has none without this.
      banner: { js: "import { createRequire as __gongkaiCreateRequire } from 'node:module'; const require = __gongkaiCreateRequire(import.meta.url);" },
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      // Bundle the SDK too: the version we test is the version that runs.
      external: [],
      logLevel: "warning",
    });
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
