import { randomInt } from "node:crypto";

// No 0/O, 1/I/L: the reference is read out over the phone.
const REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** 异议受理编号: YY + date + 6 characters, e.g. YY20231009-K3F9QX. */
export function newObjectionRef(now: Date): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll("-", "");
  let tail = "";
  for (let i = 0; i < 6; i++) tail += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
  return `YY${day}-${tail}`;
}
