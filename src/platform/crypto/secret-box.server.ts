import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";

/**
 * The server's secret key: KEPU_SECRET_KEY, or else a random key in <KEPU_DATA_DIR>/secret.key,
 * made once with mode 0600. Every instance that shares a database must use the same key: with
 * PostgreSQL and several hosts, set KEPU_SECRET_KEY.
 */
export const KEY_FILE = "secret.key";
const MIN_ENV_KEY_LENGTH = 32;

interface Keys {
  enc: Buffer;
  mac: Buffer;
}

const cache = new Map<string, Keys>();

function masterKey(config: Pick<Config, "dataDir" | "secretKey">): Buffer {
  if (config.secretKey) {
    if (config.secretKey.length < MIN_ENV_KEY_LENGTH) {
      throw new Error(
        `KEPU_SECRET_KEY 至少需要 ${MIN_ENV_KEY_LENGTH} 个字符（建议：openssl rand -base64 32）`,
      );
    }
    return Buffer.from(config.secretKey, "utf8");
  }
  const file = path.join(config.dataDir, KEY_FILE);
  if (!fs.existsSync(file)) createKeyFile(file);
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`密钥文件 ${file} 已损坏：应为 32 字节的 base64`);
  return key;
}

/** Written aside and linked into place, so concurrent workers never read a half-written key. */
function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(tmp, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    fs.unlinkSync(tmp);
  }
}

function keys(config: Pick<Config, "dataDir" | "secretKey">): Keys {
  const id = config.secretKey ? `env:${config.secretKey}` : `file:${config.dataDir}`;
  let k = cache.get(id);
  if (!k) {
    const master = masterKey(config);
    const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, "kepu", info, 32));
    k = { enc: derive("kepu secret-box aes-256-gcm"), mac: derive("kepu secret-box hmac") };
    cache.set(id, k);
  }
  return k;
}

/**
 * AES-256-GCM. `context` (e.g. the user's id) is authenticated with the ciphertext, so a value
 * copied onto another row does not decrypt.
 */
export function encryptSecret(
  config: Pick<Config, "dataDir" | "secretKey">,
  plain: string,
  context: string,
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys(config).enc, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(
    ":",
  );
}

export function decryptSecret(
  config: Pick<Config, "dataDir" | "secretKey">,
  sealed: string,
  context: string,
): string {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("无法识别的密文格式");
  const decipher = createDecipheriv("aes-256-gcm", keys(config).enc, Buffer.from(iv, "base64"));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}

/** A keyed hash: a leaked table of these cannot be brute-forced without the key. */
export function keyedHash(config: Pick<Config, "dataDir" | "secretKey">, value: string): string {
  return createHmac("sha256", keys(config).mac).update(value, "utf8").digest("hex");
}
