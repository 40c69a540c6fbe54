/** Asia/Shanghai is UTC+8 all year. */
const BEIJING_MS = 8 * 3600_000;

/**
 * ZIP stores MS-DOS timestamps: a wall-clock date and time with no zone, which writers (yazl, our
 * XLSX writer) take from a Date's local-time fields, that is, the server's zone. This returns a Date
 * whose local-time fields read the Beijing wall clock of `instant`, whatever zone the server runs
 * in, so an archive shows the times a clerk in China saw on the platform. Write it as the DOS
 * timestamp only (yazl: `forceDosTimestamp`), not as a Unix time, which it no longer is.
 */
export function beijingWallClock(instant: Date): Date {
  // The UTC fields of `shifted` are the Beijing wall clock; local fields are UTC minus the offset.
  const shifted = new Date(instant.getTime() + BEIJING_MS);
  return new Date(shifted.getTime() + shifted.getTimezoneOffset() * 60_000);
}
