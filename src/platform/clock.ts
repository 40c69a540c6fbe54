/** Injectable time source, so deadlines and timeouts are testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The system time plus an offset that can be moved forward: only for end-to-end tests of
 * deadlines (a notice period, a report reminder), enabled by KEPU_TEST_HOOKS outside production.
 */
export function adjustableClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}

export function fixedClock(
  at: Date | string,
): Clock & { set(to: Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => new Date(t),
    set: (to) => {
      t = new Date(to).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Asia/Shanghai is UTC+8 all year: China has not observed daylight saving time since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const SINCE_1992 = Date.UTC(1992, 0, 1);
const shanghai = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** Formats a UTC instant for display in Asia/Shanghai: 2023-02-28 23:59:59. */
export function formatShanghai(instant: string | Date | null | undefined): string {
  if (!instant) return "";
  const t = new Date(instant).getTime();
  if (Number.isNaN(t)) return "";
  // Plain arithmetic (Intl's formatToParts is slow enough to show in long lists), except for
  // instants from the years when the offset did change.
  if (t < SINCE_1992) {
    const parts = Object.fromEntries(shanghai.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  }
  const iso = new Date(t + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
