import { createHash, randomBytes } from "node:crypto";
import { TOKEN_PREFIX } from "./api-tokens.rules.ts";

/** A new token: the prefix and 32 random bytes, base64url. Shown once, never stored. */
export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** What is stored and looked up: the token's SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
