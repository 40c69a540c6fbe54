/** The highest page any list accepts: far past any real list, and its offset stays a safe integer. */
export const MAX_PAGE = 100_000;

/**
 * A `page` query parameter as a 1-based page number. Anything that is not a plain decimal
 * (`1e309`, `-1`, `NaN`, `0x10`, 20 digits) is page 1; a number past `max` is `max`.
 */
export function pageParam(raw: string | null | undefined, max = MAX_PAGE): number {
  return boundedInt(raw, 1, max, 1);
}

/** A `pageSize` query parameter: `fallback` unless a plain decimal, clamped to 1..max. */
export function pageSizeParam(raw: string | null | undefined, fallback: number, max: number): number {
  return boundedInt(raw, 1, max, fallback);
}

function boundedInt(raw: string | null | undefined, min: number, max: number, fallback: number): number {
  const s = (raw ?? "").trim();
  if (!/^\d+$/.test(s)) return fallback;
  // Past 15 digits a number is beyond any bound here; Number() of it would lose its exactness anyway.
  if (s.replace(/^0+/, "").length > 15) return max;
  return Math.min(max, Math.max(min, Number(s)));
}
