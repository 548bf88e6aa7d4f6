import nodemailer from "nodemailer";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { AppConfig } from "../config";

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** message id header, so a receiving system can spot a re-sent copy */
  messageId: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

/** SMTP everywhere (also the production path in regions without SES), SES where chosen. */
export function createMailTransport(config: AppConfig["mail"]): MailTransport {
  if (config.transport === "ses") {
    const ses = new SESv2Client({});
    return {
      async send(mail) {
        await ses.send(
          new SendEmailCommand({
            FromEmailAddress: mail.from,
            Destination: { ToAddresses: mail.to },
            Content: {
              Simple: {
                Subject: { Data: mail.subject, Charset: "UTF-8" },
                Body: { Text: { Data: mail.text, Charset: "UTF-8" } },
              },
            },
          }),
        );
      },
    };
  }
  const transporter = nodemailer.createTransport({
    host: config.smtpHost,
    port: config.smtpPort,
    secure: false,
    ignoreTLS: config.smtpHost === "127.0.0.1" || config.smtpHost === "localhost",
  });
  return {
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: `<${mail.messageId}@gongkai>`,
      });
    },
  };
}
