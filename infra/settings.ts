import * as logs from "aws-cdk-lib/aws-logs";
import { z } from "zod";

/**
 * Agency settings, read from CDK context (`cdk synth -c mailTransport=smtp ...` or
 * the `context` block of cdk.json). Context rather than CloudFormation parameters
 * because they shape the template (e.g. SES grants exist only for `ses`).
 */
const optionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().optional());

export const agencySettingsSchema = z
  .object({
    mailTransport: z.enum(["ses", "smtp"], { error: "mailTransport 只能是 ses 或 smtp" }).default("ses"),
    mailFrom: z.email({ error: "mailFrom 必须是有效的发件邮箱地址" }).default("gongkai@example.gov.cn"),
    /** SES identity that may send; defaults to the domain of `mailFrom` */
    sesIdentity: optionalText,
    smtpHost: z.string().default("smtp.example.gov.cn"),
    smtpPort: z.coerce.number({ error: "smtpPort 必须是端口号" }).int().min(1).max(65535).default(587),
    /** Secrets Manager secret holding `{"username","password"}` for SMTP, read by the mail sender */
    smtpSecretArn: optionalText,
    /** base URL for links in email; defaults to the HTTP API endpoint */
    publicBaseUrl: optionalText.pipe(z.url({ error: "publicBaseUrl 必须是完整的网址" }).optional()),
    /** mailbox subscribed to the alarm topic (it must confirm the subscription) */
    alarmEmail: optionalText.pipe(z.email({ error: "alarmEmail 必须是有效的邮箱地址" }).optional()),
    logLevel: z.enum(["DEBUG", "INFO", "WARN", "ERROR"]).default("INFO"),
    logRetentionDays: z.coerce.number().int().positive().default(180),
    /** HTTP API stage throttling */
    apiRateLimit: z.coerce.number().int().positive().default(50),
    apiBurstLimit: z.coerce.number().int().positive().default(100),
    /** agency portals that forward many citizens' applications from one address: comma-separated addresses or CIDR ranges, not limited per address */
    intakeTrustedAddresses: optionalText,
  })
  .transform((s) => ({ ...s, sesIdentity: s.sesIdentity ?? s.mailFrom.split("@")[1] ?? s.mailFrom }));

export type AgencySettings = z.output<typeof agencySettingsSchema>;
export const settingKeys = Object.keys(agencySettingsSchema.in.shape) as (keyof z.input<typeof agencySettingsSchema>)[];

/** Reads every known key through `tryGetContext`; fails synth with a readable message. */
export function readAgencySettings(tryGetContext: (key: string) => unknown): AgencySettings {
  const raw: Record<string, unknown> = {};
  for (const key of settingKeys) {
    const value = tryGetContext(key);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = agencySettingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`机构设置（CDK context）有误：\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** CloudWatch Logs accepts only certain retention periods; refuse anything else at synth. */
export function logRetentionOf(settings: AgencySettings): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === "number");
  if (!allowed.includes(settings.logRetentionDays)) throw new Error(`logRetentionDays 必须是以下之一：${allowed.join(", ")}`);
  return settings.logRetentionDays as logs.RetentionDays;
}
