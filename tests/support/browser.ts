import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium, driven by playwright-core (no browser download). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * axe-core's serious and critical violations on the page. The pages are visited with JavaScript
 * off, where axe cannot run, so the very markup the page shows is checked in a second page with
 * JavaScript on (same origin for its style sheets, none of the page's own scripts: it has none).
 */
export async function accessibilityProblems(browser: Browser, page: Page): Promise<string[]> {
  const markup = (await page.content()).replace(/<head>/i, `<head><base href="${new URL(page.url()).origin}/">`);
  const checker = await browser.newPage();
  try {
    await checker.setContent(markup, { waitUntil: "load" });
    await checker.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
    const result = (await checker.evaluate("axe.run()")) as { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  } finally {
    await checker.close();
  }
}
