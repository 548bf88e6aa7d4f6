#!/usr/bin/env node
// Runs the TypeScript CLI through tsx from any working directory and forwards its exit code.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../shared/cli/main.ts", import.meta.url));
// resolve tsx from this package, not from the caller's directory
const tsx = import.meta.resolve("tsx");
// the SDK's notice about this machine's Node 20 (Lambda runs 22) is said once in the README instead
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env };
const child = spawn(process.execPath, ["--import", tsx, main, ...process.argv.slice(2)], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
