import { afterEach, describe, expect, it } from "vitest";
import { beijingWallClock } from "./zip-time.ts";

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe("beijingWallClock", () => {
  it("gives local-time fields that read Beijing time, in any server zone", () => {
    for (const tz of ["UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin"]) {
      process.env.TZ = tz;
      // 16:30:04 UTC on 29 February is 00:30:04 on 1 March in Beijing.
      const d = beijingWallClock(new Date("2024-02-29T16:30:04.000Z"));
      expect(
        [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()],
        tz,
      ).toEqual([2024, 3, 1, 0, 30, 4]);
    }
  });
});
