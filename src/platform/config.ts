import os from "node:os";
import path from "node:path";

export type Engine = "sqlite" | "postgres";

export interface Config {
  port: number;
  /** Interface to listen on; all interfaces by default, 127.0.0.1 to keep it local. */
  host: string;
  databaseUrl: string | undefined;
  engine: Engine;
  dataDir: string;
  production: boolean;
  /** Extra origins accepted by the CSRF check, e.g. behind a reverse proxy. */
  allowedOrigins: string[];
  trustProxy: boolean;
  /** HTTP worker processes (KEPU_WORKERS): one per CPU core by default, at most 8. */
  workers: number;
  /** The site's absolute URL (KEPU_PUBLIC_URL), for links that leave the site, e.g. QR codes. No trailing slash. */
  publicUrl: string;
  /** The in-process cache of anonymous public pages (KEPU_RESPONSE_CACHE=0 turns it off). */
  responseCache: boolean;
  /** Concurrent sessions one account may hold (KEPU_MAX_SESSIONS, default 5); the oldest ends first. */
  maxSessionsPerUser: number;
  /** Days after which a password must be changed (KEPU_PASSWORD_MAX_AGE_DAYS); 0 (default) is off, per ASVS 5.0. */
  passwordMaxAgeDays: number;
  /** Body limits in bytes (KEPU_MAX_FORM_KB, KEPU_MAX_AUTOSAVE_KB, KEPU_MAX_IMPORT_KB): over them, 413. */
  bodyLimits: { formBytes: number; autosaveBytes: number; importBytes: number };
  /** 法人注册 attempts allowed per IP address per hour (KEPU_REGISTER_PER_IP_HOUR, default 5). */
  registerPerIpHour: number;
  /** KEPU_SECRET_KEY: encrypts second-factor secrets; unset, a key file in dataDir is used. */
  secretKey?: string;
  /** Outgoing mail: KEPU_SMTP_URL (smtp:// or smtps://); unset, mail is only written to the log. */
  smtpUrl: string | undefined;
  /** KEPU_MAIL_FROM, e.g. 科普基地服务平台 <noreply@example.cn>. */
  mailFrom: string;
  /** KEPU_SMS_PROVIDER: aliyun sends through 阿里云短信; log (default) only writes to the log. */
  smsProvider: "aliyun" | "log";
  aliyunSms: AliyunSmsConfig;
}

/** 阿里云短信 (Dysmsapi SendSms) settings from KEPU_SMS_ALIYUN_*. */
export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Notification kind → approved template code; "default" for kinds not listed. */
  templates: Record<string, string>;
  endpoint: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  const engine: Engine = databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgres" : "sqlite";
  if (databaseUrl && engine === "sqlite" && !databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL 只支持 postgres:// 或 file: 开头，收到：${databaseUrl.split(":")[0]}:`);
  }
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT 无效：${env.PORT}`);
  return {
    port,
    host: env.KEPU_HOST ?? "0.0.0.0",
    databaseUrl,
    engine,
    dataDir: path.resolve(env.KEPU_DATA_DIR ?? "./data"),
    production:
      env.KEPU_PRODUCTION !== undefined ? env.KEPU_PRODUCTION === "1" : env.NODE_ENV === "production",
    allowedOrigins: (env.KEPU_ALLOWED_ORIGINS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: env.KEPU_TRUST_PROXY === "1",
    workers: workersFrom(env.KEPU_WORKERS),
    publicUrl: publicUrlFrom(env.KEPU_PUBLIC_URL, port),
    responseCache: env.KEPU_RESPONSE_CACHE !== "0",
    maxSessionsPerUser: intFrom("KEPU_MAX_SESSIONS", env.KEPU_MAX_SESSIONS, 5, 1, 100),
    passwordMaxAgeDays: intFrom("KEPU_PASSWORD_MAX_AGE_DAYS", env.KEPU_PASSWORD_MAX_AGE_DAYS, 0, 0, 3650),
    registerPerIpHour: intFrom("KEPU_REGISTER_PER_IP_HOUR", env.KEPU_REGISTER_PER_IP_HOUR, 5, 1, 100000),
    bodyLimits: {
      formBytes: kbFrom("KEPU_MAX_FORM_KB", env.KEPU_MAX_FORM_KB, 1024),
      autosaveBytes: kbFrom("KEPU_MAX_AUTOSAVE_KB", env.KEPU_MAX_AUTOSAVE_KB, 256),
      // The import route's own 10 MB file limit plus room for the multipart envelope.
      importBytes: kbFrom("KEPU_MAX_IMPORT_KB", env.KEPU_MAX_IMPORT_KB, 10 * 1024 + 64),
    },
    secretKey: env.KEPU_SECRET_KEY || undefined,
    smtpUrl: smtpUrlFrom(env.KEPU_SMTP_URL),
    mailFrom: env.KEPU_MAIL_FROM?.trim() || "科普基地服务平台 <noreply@localhost>",
    smsProvider: smsProviderFrom(env.KEPU_SMS_PROVIDER),
    aliyunSms: aliyunSmsFrom(env),
  };
}

function kbFrom(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback * 1024;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024 * 1024)
    throw new Error(`${name} 须为 1–1048576 的整数（KB）：${raw}`);
  return n * 1024;
}

function smtpUrlFrom(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^smtps?:\/\//.test(raw.trim())) throw new Error("KEPU_SMTP_URL 须以 smtp:// 或 smtps:// 开头");
  return raw.trim();
}

function smsProviderFrom(raw: string | undefined): "aliyun" | "log" {
  const v = (raw ?? "").trim() || "log";
  if (v !== "aliyun" && v !== "log") throw new Error(`KEPU_SMS_PROVIDER 须为 aliyun 或 log：${raw}`);
  return v;
}

function aliyunSmsFrom(env: NodeJS.ProcessEnv): AliyunSmsConfig {
  let templates: Record<string, string> = {};
  const raw = env.KEPU_SMS_ALIYUN_TEMPLATES?.trim();
  if (raw) {
    try {
      templates = JSON.parse(raw) as Record<string, string>;
    } catch {
      throw new Error('KEPU_SMS_ALIYUN_TEMPLATES 须为 JSON，如 {"default":"SMS_123"}');
    }
    if (typeof templates !== "object" || templates === null || Array.isArray(templates))
      throw new Error("KEPU_SMS_ALIYUN_TEMPLATES 须为 JSON 对象：通知类型 → 模板编号");
  }
  const cfg: AliyunSmsConfig = {
    accessKeyId: env.KEPU_SMS_ALIYUN_ACCESS_KEY_ID ?? "",
    accessKeySecret: env.KEPU_SMS_ALIYUN_ACCESS_KEY_SECRET ?? "",
    signName: env.KEPU_SMS_ALIYUN_SIGN_NAME ?? "",
    templates,
    endpoint: env.KEPU_SMS_ALIYUN_ENDPOINT?.trim() || "https://dysmsapi.aliyuncs.com/",
  };
  if (env.KEPU_SMS_PROVIDER === "aliyun") {
    const missing = [
      ["KEPU_SMS_ALIYUN_ACCESS_KEY_ID", cfg.accessKeyId],
      ["KEPU_SMS_ALIYUN_ACCESS_KEY_SECRET", cfg.accessKeySecret],
      ["KEPU_SMS_ALIYUN_SIGN_NAME", cfg.signName],
    ].filter(([, v]) => !v);
    if (missing.length)
      throw new Error(`KEPU_SMS_PROVIDER=aliyun 还需设置：${missing.map(([k]) => k).join("、")}`);
    if (!cfg.templates.default) throw new Error("KEPU_SMS_ALIYUN_TEMPLATES 须至少含 default 模板编号");
  }
  return cfg;
}

function publicUrlFrom(raw: string | undefined, port: number): string {
  if (raw === undefined || raw.trim() === "") return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`KEPU_PUBLIC_URL 须为完整网址（如 https://kepu.example.cn）：${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`KEPU_PUBLIC_URL 须以 http:// 或 https:// 开头：${raw}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function workersFrom(raw: string | undefined): number {
  if (raw === undefined || raw === "") return Math.min(os.availableParallelism(), 8);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`KEPU_WORKERS 须为 1–64 的整数：${raw}`);
  return n;
}

function intFrom(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} 须为 ${min}–${max} 的整数：${raw}`);
  return n;
}
