import type { Transporter } from "nodemailer";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import type { AppConfig } from "../config";
import { sdkClientConfig, withUnavailableAs503 } from "./aws/clients";

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** message id header, so a receiving system can spot a re-sent copy */
  messageId: string;
  attachments?: Array<{ filename: string; content: Uint8Array; contentType: string }>;
}

function nodemailerMessage(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: `<${mail.messageId}@gongkai>`,
    attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
  };
}

async function smtpLogin(secretArn: string): Promise<{ user: string; pass: string }> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import("@aws-sdk/client-secrets-manager");
  const secrets = withUnavailableAs503(new SecretsManagerClient(sdkClientConfig("secretsManager")), "secretsManager");
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const secret = JSON.parse(out.SecretString ?? "{}") as { username?: string; password?: string };
  if (!secret.username || !secret.password) throw new Error("SMTP secret must hold username and password");
  return { user: secret.username, pass: secret.password };
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * SMTP everywhere (also the production path in regions without SES), SES where chosen. Each
 * transport's packages are loaded on its first mail, so the sender's cold start parses neither
 * (they are chunks of their own in its bundle, infra/entry-bundles.ts).
 */
export function createMailTransport(config: AppConfig["mail"]): MailTransport {
  if (config.transport === "ses") {
    let ses: SESv2Client | undefined;
    return {
      async send(mail) {
        const [{ SESv2Client, SendEmailCommand }, { default: MailComposer }] = await Promise.all([import("@aws-sdk/client-sesv2"), import("nodemailer/lib/mail-composer")]);
        ses ??= withUnavailableAs503(new SESv2Client(sdkClientConfig("ses")), "ses");
        // a raw MIME message carries attachments on every SES version
        const raw = await new MailComposer(nodemailerMessage(mail)).compile().build();
        await ses.send(
          new SendEmailCommand({
            FromEmailAddress: mail.from,
            Destination: { ToAddresses: mail.to },
            Content: { Raw: { Data: raw } },
          }),
        );
      },
    };
  }
  const loopback = config.smtpHost === "127.0.0.1" || config.smtpHost === "localhost";
  let transporter: Transporter | undefined;
  const smtp = async () => {
    // the login is read once per process, on first use, from the one secret this function may read
    const { default: nodemailer } = await import("nodemailer");
    transporter ??= nodemailer.createTransport({
      host: config.smtpHost,
      port: config.smtpPort,
      // a mail server that stalls must not hold the sender past its Lambda time-out: the queue retries it
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // 465 is implicit TLS; other ports upgrade with STARTTLS, required except on loopback
      secure: config.smtpPort === 465,
      requireTLS: !loopback && config.smtpPort !== 465,
      ignoreTLS: loopback,
      auth: config.smtpSecretArn ? await smtpLogin(config.smtpSecretArn) : undefined,
    });
    return transporter;
  };
  return {
    async send(mail) {
      await (await smtp()).sendMail(nodemailerMessage(mail));
    },
  };
}
