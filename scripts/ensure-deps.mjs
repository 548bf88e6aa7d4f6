#!/usr/bin/env node
// Checks what `npm start` / `npm test` need before they run: node_modules (runs `npm ci`
// when missing or older than package-lock.json), Java for DynamoDB Local, and with
// --browser a Chromium for the browser tests. Plain Node, no dependencies.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lock = join(root, "package-lock.json");
const marker = join(root, "node_modules", ".package-lock.json");
let ok = true;

const stale = !existsSync(join(root, "node_modules")) || !existsSync(marker) || (existsSync(lock) && statSync(marker).mtimeMs < statSync(lock).mtimeMs);
if (stale) {
  console.log("node_modules is missing or older than package-lock.json: running npm ci …");
  const r = spawnSync("npm", ["ci"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error("npm ci failed.");
    process.exit(r.status ?? 1);
  }
}

const java = spawnSync("java", ["-version"], { stdio: "ignore" });
if (java.error || java.status !== 0) {
  console.error("需要 Java 来运行 DynamoDB Local / Java is required for DynamoDB Local. Install it with:\n  sudo apt-get install -y openjdk-17-jre-headless");
  ok = false;
}

if (process.argv.includes("--browser")) {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    console.error(`浏览器测试需要 Chromium / the browser tests need Chromium at ${chromium}. Install it with:\n  sudo apt-get install -y chromium\n(or set CHROMIUM_PATH)`);
    ok = false;
  }
}

process.exit(ok ? 0 : 1);
