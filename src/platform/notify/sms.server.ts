import { createHmac, randomUUID } from "node:crypto";
import type { AliyunSmsConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import { maskRecipient } from "./mask.rules.ts";
import type { OutboxAdapter } from "./outbound.ts";

/** Development: the SMS goes to the log and counts as sent. */
export function logSmsAdapter(log: Logger): OutboxAdapter {
  return {
    channel: "sms",
    async send(m) {
      log.info(
        { to: maskRecipient("sms", m.recipient), text: m.body, kind: m.kind },
        "sms (log adapter, not sent)",
      );
    },
  };
}

/** Aliyun's POP percent-encoding: RFC 3986 unreserved characters stay, everything else is %XX (UTF-8). */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The RPC signature (SignatureVersion 1.0, HMAC-SHA1): the parameters sorted by name and
 * percent-encoded into a query string, StringToSign = METHOD&%2F&encode(query), keyed with
 * AccessKeySecret + "&", Base64.
 */
export function aliyunSignature(params: Record<string, string>, secret: string, method = "POST"): string {
  const query = Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join("&");
  const stringToSign = `${method}&${percentEncode("/")}&${percentEncode(query)}`;
  return createHmac("sha1", `${secret}&`).update(stringToSign, "utf8").digest("base64");
}

/** The signed form body of a Dysmsapi SendSms request. */
export function sendSmsParams(
  cfg: Pick<AliyunSmsConfig, "accessKeyId" | "accessKeySecret" | "signName">,
  msg: { phone: string; templateCode: string; templateParam: Record<string, string> },
  opts: { nonce?: string; timestamp?: Date } = {},
): Record<string, string> {
  const params: Record<string, string> = {
    AccessKeyId: cfg.accessKeyId,
    Action: "SendSms",
    Format: "JSON",
    PhoneNumbers: msg.phone,
    RegionId: "cn-hangzhou",
    SignName: cfg.signName,
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: opts.nonce ?? randomUUID(),
    SignatureVersion: "1.0",
    TemplateCode: msg.templateCode,
    TemplateParam: JSON.stringify(msg.templateParam),
    Timestamp: (opts.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    Version: "2017-05-25",
  };
  return { ...params, Signature: aliyunSignature(params, cfg.accessKeySecret, "POST") };
}

/**
 * 阿里云短信 (Dysmsapi SendSms) over HTTPS, signed by hand (no SDK). The template for a message is
 * the one configured for its kind, else "default"; templates receive ${title} and ${content}.
 * Anything but Code "OK" is an error, so the outbox retries it and staff see the reason.
 */
export function aliyunSmsAdapter(cfg: AliyunSmsConfig, fetchImpl: typeof fetch = fetch): OutboxAdapter {
  return {
    channel: "sms",
    async send(m) {
      const templateCode = cfg.templates[m.kind] ?? cfg.templates.default;
      if (!templateCode) throw new Error(`未配置短信模板：${m.kind}`);
      const params = sendSmsParams(cfg, {
        phone: m.recipient,
        templateCode,
        templateParam: { title: m.subject, content: m.body },
      });
      const res = await fetchImpl(cfg.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: Object.entries(params)
          .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
          .join("&"),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await res.text();
      let answer: { Code?: string; Message?: string } = {};
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        // not JSON: reported below with the status
      }
      if (!res.ok || answer.Code !== "OK")
        throw new Error(
          `阿里云短信发送失败：HTTP ${res.status} ${answer.Code ?? ""} ${answer.Message ?? text.slice(0, 200)}`.trim(),
        );
    },
  };
}
