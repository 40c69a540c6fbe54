/**
 * Cursors of /api/v1 lists: opaque to clients, they hold the position of the next page in the same
 * use case the public pages call (its page number), so the API pages exactly like the directory and the
 * calendar. A cursor that does not decode is refused.
 */
const MAX_PAGE = 10_000;

export function encodeCursor(page: number): string {
  return Buffer.from(JSON.stringify({ p: page })).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === "") return 1;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const p = (v as { p?: unknown } | null)?.p;
    return typeof p === "number" && Number.isInteger(p) && p >= 1 && p <= MAX_PAGE ? p : null;
  } catch {
    return null;
  }
}
