import { describe, expect, it } from "vitest";
import { loadConfig, queueUrlEnvName } from "../../../shared/config";
import { allGrantsSpec, functionEnvironment } from "../../../shared/environment";
import type { EnvironmentResources } from "../../../shared/environment";
import { runInFunctionScope, tableAccess } from "../../../shared/adapters/runtime-env";
import { functions, queueNames } from "../../../shared/manifest";
import type { FunctionSpec } from "../../../shared/manifest";

// Pure: the mapping both the CDK app (infra/grants.ts) and the local host use.
const resources: EnvironmentResources = {
  tableName: "gongkai",
  queueUrls: Object.fromEntries(queueNames.map((q) => [q, `http://127.0.0.1:9324/000000000000/${q}`])),
  timersQueueArn: "arn:aws:sqs:us-east-1:000000000000:timers",
  scheduleGroup: "gongkai-timers",
  schedulerRoleArn: "arn:aws:iam::000000000000:role/gongkai-local-scheduler",
  filesBucket: "gongkai-files",
  mail: { transport: "smtp", from: "gongkai@localhost", smtpHost: "127.0.0.1", smtpPort: 2525 },
  publicBaseUrl: "http://localhost:3000",
  local: true,
};

/** What a function's code reads as its config, given only its manifest entry's environment. */
const configOf = (spec: FunctionSpec, r = resources) => runInFunctionScope(spec.name, functionEnvironment(spec, r), loadConfig);

describe("functionEnvironment: every manifest entry gets the config its grants need, and no more", () => {
  it.each(functions.map((f) => [f.name, f] as const))("%s", (_name, spec) => {
    // Act
    const env = functionEnvironment(spec, resources);
    const config = configOf(spec);

    // Assess
    const { grants } = spec;
    expect(env.PUBLIC_BASE_URL).toBe(resources.publicBaseUrl);
    expect(env.TABLE_NAME).toBe(grants.table ? "gongkai" : undefined);
    for (const q of queueNames) {
      expect(config.queueUrls[q], `${spec.name} → ${q}`).toBe(grants.sendTo?.includes(q) ? resources.queueUrls[q] : "");
    }
    expect(Object.keys(env).filter((k) => k.startsWith("QUEUE_URL_")).sort()).toEqual((grants.sendTo ?? []).map(queueUrlEnvName).sort());
    if (grants.scheduler) {
      expect(config).toMatchObject({ timersQueueArn: resources.timersQueueArn, schedulerRoleArn: resources.schedulerRoleArn, scheduleGroup: "gongkai-timers" });
    } else {
      expect(env).not.toHaveProperty("TIMERS_QUEUE_ARN");
      expect(env).not.toHaveProperty("SCHEDULER_ROLE_ARN");
    }
    expect(config.filesBucket).toBe(grants.files ? "gongkai-files" : "");
    expect("MAIL_TRANSPORT" in env).toBe(Boolean(grants.mail));
    expect(config.localMode).toBe(true);
    expect(runInFunctionScope(spec.name, env, tableAccess)).toBe(grants.table === "read" ? "read" : "readWrite");
  });

  it("gives the outbox relay every queue and the Scheduler settings: it re-sends queue messages and schedule records alike", () => {
    // Prepare
    const relay = functions.find((f) => f.name === "outbox-relay");

    // Act
    const config = relay && configOf(relay);

    // Assess
    expect(config?.queueUrls).toEqual(resources.queueUrls);
    expect(config).toMatchObject({ timersQueueArn: resources.timersQueueArn, schedulerRoleArn: resources.schedulerRoleArn, scheduleGroup: "gongkai-timers" });
  });

  it("marks read-only table access and the local stack only locally; on AWS IAM does the refusing", () => {
    // Prepare
    const clock = functions.find((f) => f.name === "local-clock");
    const aws = { ...resources, local: false };

    // Act
    const local = clock && functionEnvironment(clock, resources);
    const deployed = clock && functionEnvironment(clock, aws);

    // Assess
    expect(local).toMatchObject({ TABLE_NAME: "gongkai", GONGKAI_LOCAL: "1", GONGKAI_LOCAL_TABLE_ACCESS: "read" });
    expect(deployed).toEqual({ PUBLIC_BASE_URL: resources.publicBaseUrl, TABLE_NAME: "gongkai" });
  });

  it("sets SMTP settings only for the SMTP transport, and the secret only when there is one", () => {
    // Prepare
    const sender = functions.find((f) => f.grants.mail);
    const ses = { ...resources, mail: { ...resources.mail, transport: "ses" as const } };
    const withSecret = { ...resources, mail: { ...resources.mail, smtpSecretArn: "arn:aws:secretsmanager:cn-north-1:1:secret:smtp" } };

    // Act
    const viaSes = sender && functionEnvironment(sender, ses);
    const viaSmtp = sender && functionEnvironment(sender, withSecret);

    // Assess
    expect(viaSes).toMatchObject({ MAIL_TRANSPORT: "ses", MAIL_FROM: "gongkai@localhost" });
    expect(viaSes).not.toHaveProperty("SMTP_HOST");
    expect(viaSmtp).toMatchObject({ MAIL_TRANSPORT: "smtp", SMTP_HOST: "127.0.0.1", SMTP_PORT: "2525", SMTP_SECRET_ARN: withSecret.mail.smtpSecretArn });
  });

  it("refuses a grant to a queue the manifest does not define", () => {
    // Prepare
    const typo: FunctionSpec = { name: "typo", entry: "", description: "", trigger: { kind: "http", paths: [] }, grants: { sendTo: ["mial"] } };

    // Act / Assess
    expect(() => functionEnvironment(typo, resources)).toThrow(/typo may send to queue "mial"/);
  });

  it("gives tools beside the local stack (the CLI) the union of every grant", () => {
    // Act
    const config = configOf(allGrantsSpec(queueNames));

    // Assess
    expect(config).toMatchObject({ queueUrls: resources.queueUrls, timersQueueArn: resources.timersQueueArn, filesBucket: "gongkai-files", tableName: "gongkai" });
  });
});
