import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const probe = fileURLToPath(new URL("./tz-probe.ts", import.meta.url));

async function probeUnder(tz: string): Promise<{ tz: string; localOffset: number; out: unknown[] }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", probe], { env: { ...process.env, TZ: tz }, timeout: 60_000 });
  return JSON.parse(stdout) as { tz: string; localOffset: number; out: unknown[] };
}

describe("time-zone independence", () => {
  it("gives the same results under America/Los_Angeles, UTC and Pacific/Kiritimati", async () => {
    // Act
    const [la, utc, kiritimati] = await Promise.all(["America/Los_Angeles", "UTC", "Pacific/Kiritimati"].map(probeUnder));
    // Assess: the children really ran in different zones…
    expect([la!.localOffset, utc!.localOffset, kiritimati!.localOffset]).toEqual([420, 0, -840]);
    // …and agree on every answer
    expect(la!.out).toEqual(utc!.out);
    expect(kiritimati!.out).toEqual(utc!.out);
    expect(utc!.out).toContainEqual("2024-02-09");
    expect(utc!.out.length).toBeGreaterThan(200);
  });
});
