import type { PolicyValidationPluginReport } from "aws-cdk-lib";
import { App, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/build-app";
import type { GongkaiApp } from "../../infra/build-app";

// Prepare: the rules read the construct tree, not the bundles, so bundling is skipped here.
let outdir: string;
let built: GongkaiApp;
let report: PolicyValidationPluginReport;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), "gongkai-nag-"));
  built = buildApp({ outdir, nag: false, context: { "aws:cdk:bundling-stacks": [] } });
  built.app.synth(); // resolves cross-stack references the way `cdk synth` does
  report = new AwsSolutionsChecks().validateScope(built.app);
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

function describeViolations(r: PolicyValidationPluginReport): string {
  return r.violations
    .map((v) => `${v.severity} ${v.ruleName}: ${v.description}\n${v.violatingResources.map((x) => `    at ${x.constructPath}`).join("\n")}`)
    .join("\n");
}

function acknowledgmentsUnder(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
  );
}

describe("cdk-nag AWS Solutions checks", () => {
  it("leaves no unacknowledged error or warning in any stack (each workflow's included)", () => {
    // Assess
    expect(describeViolations(report)).toBe("");
    expect(report.success).toBe(true);
    // the checks really walked every stack: each carries its own, narrow acknowledgments
    for (const stack of [built.stateless, ...Object.values(built.workflows)]) {
      expect(acknowledgmentsUnder(stack).length, stack.stackName).toBeGreaterThan(0);
    }
  });

  it("gives every acknowledgment a written reason", () => {
    // Act
    const acknowledgments = acknowledgmentsUnder(built.app);

    // Assess
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const { path: at, id, reason } of acknowledgments) {
      expect(reason.trim().length, `${id} at ${at}`).toBeGreaterThanOrEqual(40);
    }
  });

  it("acknowledges only wildcard and by-design findings, never whole rule families", () => {
    const ids = new Set(acknowledgmentsUnder(built.app).map((a) => a.id.replace(/^[A-Za-z]+::/, "")));
    for (const id of ids) {
      // IAM5 must name the exact wildcard; the rest are the few by-design exceptions documented in infra/README.md.
      expect(id, id).toMatch(/^AwsSolutions-(IAM5\[(Action|Resource)::.+\]|L1|APIG4)$/);
    }
  });

  it("acknowledges nothing that the checks do not actually find (no stale acknowledgments)", () => {
    // Prepare: the same pack with acknowledgments ignored shows the raw findings.
    const raw = new AwsSolutionsChecks();
    (raw as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const findings = raw.validateScope(built.app).violations;

    // Act
    const stale = acknowledgmentsUnder(built.app)
      .map((ack) => ({ ...ack, id: ack.id.replace(/^[A-Za-z]+::/, "") }))
      .filter(
        (ack) =>
          !findings.some(
            (f) => f.ruleName === ack.id && f.violatingResources.some((r) => r.constructPath === ack.path || r.constructPath?.startsWith(`${ack.path}/`)),
          ),
      )
      .map((ack) => `${ack.id} at ${ack.path}`);

    // Assess
    expect(stale).toEqual([]);
  });

  it("still catches a finding nobody acknowledged (the check is live)", () => {
    // Prepare
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "gongkai-nag-neg-")) });
    const stack = new Stack(app, "Probe");
    const role = new iam.Role(stack, "Role", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });
    role.addToPolicy(new iam.PolicyStatement({ actions: ["sqs:*"], resources: ["*"] }));

    // Act
    const probe = new AwsSolutionsChecks().validateScope(app);

    // Assess
    expect(probe.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(["AwsSolutions-IAM5[Action::sqs:*]", "AwsSolutions-IAM5[Resource::*]"]),
    );
    rmSync(app.outdir, { recursive: true, force: true });
  });
});
