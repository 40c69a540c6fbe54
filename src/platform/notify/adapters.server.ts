import type { Config } from "../config.ts";
import { logger } from "../logger.ts";
import { logMailAdapter, smtpMailAdapter } from "./mail.server.ts";
import type { OutboxAdapter } from "./outbound.ts";
import { aliyunSmsAdapter, logSmsAdapter } from "./sms.server.ts";

const built = new Map<string, OutboxAdapter[]>();

/** The email and SMS adapters the configuration asks for; one set per configuration, reused. */
export function outboxAdaptersFor(config: Config): OutboxAdapter[] {
  const key = JSON.stringify([config.smtpUrl, config.mailFrom, config.smsProvider, config.aliyunSms]);
  let adapters = built.get(key);
  if (!adapters) {
    adapters = [
      config.smtpUrl ? smtpMailAdapter(config.smtpUrl, config.mailFrom) : logMailAdapter(logger),
      config.smsProvider === "aliyun" ? aliyunSmsAdapter(config.aliyunSms) : logSmsAdapter(logger),
    ];
    built.set(key, adapters);
  }
  return adapters;
}

/** Said once at start, so nobody waits for mail that only goes to the log. */
export function logDeliveryChannels(config: Config): void {
  if (!config.smtpUrl) logger.warn("KEPU_SMTP_URL 未设置：邮件只写入日志，不会发出");
  if (config.smsProvider === "log") logger.warn("KEPU_SMS_PROVIDER=log：短信只写入日志，不会发出");
}
