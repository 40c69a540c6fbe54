import { z } from "zod";

/**
 * Cursors of /api/v1 lists: opaque to clients (base64url of JSON), each holds the sort key and id of
 * the last row sent, so the next page starts right after it (keyset): no page walks the rows before
 * it, and rows inserted meanwhile neither repeat nor vanish. Each list has its own zod shape, tagged
 * with the order it was made for; a cursor that does not decode to that shape is refused.
 */

const text = z.string().max(200);
const id = z.string().min(1).max(64);

/** The directory: per sort, the columns it orders by, id last. */
export const basesCursorSchema = z.discriminatedUnion("s", [
  z.object({ s: z.literal("name"), k: z.tuple([text, id]) }),
  z.object({ s: z.literal("county"), k: z.tuple([text, text, id]) }),
  z.object({
    s: z.literal("newest"),
    // recognized_year, recognized_at ('' when missing), name, id
    k: z.tuple([z.number().int().min(0).max(9999), text, text, id]),
  }),
]);
export type BasesCursor = z.infer<typeof basesCursorSchema>;

/** The calendar: start and id, for the direction of `when` (past lists newest first). */
export const activitiesCursorSchema = z.object({
  w: z.enum(["upcoming", "past", "all"]),
  k: z.tuple([text, id]),
});
export type ActivitiesCursor = z.infer<typeof activitiesCursorSchema>;

/** The catalogue: publication time and id, newest first. */
export const coursesCursorSchema = z.object({ k: z.tuple([text, id]) });
export type CoursesCursor = z.infer<typeof coursesCursorSchema>;

export function encodeCursor<S extends z.ZodType>(schema: S, value: z.input<S>): string {
  return Buffer.from(JSON.stringify(schema.parse(value))).toString("base64url");
}

/** The cursor's content, or null when it is not one this list made. */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> | null {
  // base64url only: Buffer would otherwise skip what is not in the alphabet.
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const r = schema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
