/**
 * Checks that a text (a page, an API answer, an export) holds no full mainland mobile number.
 * Record ids are UUIDs, whose hex groups can hold eleven digits in a row ("…-16716640731b" once
 * failed a run), so they are taken out before looking.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const FULL_MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

export function fullMobileIn(text: string): string | null {
  return text.replace(UUID, "").match(FULL_MOBILE)?.[0] ?? null;
}
