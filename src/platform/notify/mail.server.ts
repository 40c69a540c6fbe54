import nodemailer from "nodemailer";
import type { Logger } from "../logger.ts";
import { maskRecipient } from "./mask.rules.ts";
import type { OutboxAdapter } from "./outbound.ts";

/** Email through SMTP (KEPU_SMTP_URL: smtp://user:pass@host:587 or smtps://…). */
export function smtpMailAdapter(url: string, from: string): OutboxAdapter & { close(): void } {
  // Short timeouts: a hanging server must fail the attempt, not hold the job's lease.
  const transport = nodemailer.createTransport(url, {
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  } as nodemailer.TransportOptions);
  return {
    channel: "email",
    async send(m) {
      await transport.sendMail({ from, to: m.recipient, subject: m.subject, text: m.body });
    },
    close: () => transport.close(),
  };
}

/** Development without SMTP: the message goes to the log and counts as sent. */
export function logMailAdapter(log: Logger): OutboxAdapter {
  return {
    channel: "email",
    async send(m) {
      log.info(
        { to: maskRecipient("email", m.recipient), subject: m.subject, body: m.body, kind: m.kind },
        "email (log adapter, not sent)",
      );
    },
  };
}
