import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import { actorOf, createUserRecord, errorOf, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { holidayYearSchema } from "./holidays.schema.ts";
import { getNoticeCalendar, listHolidayYears, loadExtraDays, saveHolidayYear } from "./holidays.server.ts";
import { noticeEndsAt, uncoveredYears } from "./working-days.rules.ts";

const clock = fixedClock("2026-12-20T10:00:00+08:00");
let t: TestContext;
let admin: MadeUser;
let office: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  admin = await createUserRecord(t.ctx, { role: "admin" });
  office = await createUserRecord(t.ctx, { role: "office" });
});
afterAll(async () => t?.close());

describe("【节假日设置】", () => {
  it("lets an admin enter 2027's 放假 and 调休 days, which the working-day count then uses", async () => {
    expect((await listHolidayYears(t.ctx, actorOf(admin))).missing).toContain(2027);
    // Without entries, 2027-01-01 (a Friday) counts as a working day.
    expect(noticeEndsAt("2026-12-28", 5, await loadExtraDays(t.ctx.db)).lastDay).toBe("2027-01-01");
    const input = holidayYearSchema.parse({
      year: "2027",
      holidays: "2027-01-01\n2027-01-02、2027-01-03",
      workdays: "",
    });
    await saveHolidayYear(t.ctx, actorOf(admin), input);
    const extra = await loadExtraDays(t.ctx.db);
    expect(extra.holidays).toEqual(["2027-01-01", "2027-01-02", "2027-01-03"]);
    expect(noticeEndsAt("2026-12-28", 5, extra).lastDay).toBe("2027-01-04");
    expect(uncoveredYears("2026-12-28", "2027-01-04", extra)).toEqual([]);
    const listed = await listHolidayYears(t.ctx, actorOf(admin));
    expect(listed.missing).not.toContain(2027);
    expect(listed.years[0]).toMatchObject({ year: 2027, workdays: [] });
    const audit = await t.ctx.db
      .selectFrom("audit_events")
      .select("action")
      .where("action", "=", "holidays.save")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("replaces a year's days when saved again", async () => {
    await saveHolidayYear(
      t.ctx,
      actorOf(admin),
      holidayYearSchema.parse({ year: "2027", holidays: "2027-01-01", workdays: "2027-01-09" }),
    );
    expect(await loadExtraDays(t.ctx.db)).toEqual({ holidays: ["2027-01-01"], workdays: ["2027-01-09"] });
  });

  it("gives the entered days to those who set notice periods (the office, a county for its own calls), and to no one else", async () => {
    expect(await getNoticeCalendar(t.ctx, actorOf(office))).toEqual(await loadExtraDays(t.ctx.db));
    const county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    expect(await getNoticeCalendar(t.ctx, actorOf(county))).toEqual(await loadExtraDays(t.ctx.db));
    const city = await createUserRecord(t.ctx, { role: "city" });
    expect((await errorOf(getNoticeCalendar(t.ctx, actorOf(city)))).code).toBe("FORBIDDEN");
    expect((await errorOf(getNoticeCalendar(t.ctx, actorOf(null)))).code).toBe("UNAUTHENTICATED");
  });

  it("is the admin's alone, and refuses days outside the year or a day both off and on", async () => {
    const input = holidayYearSchema.parse({ year: "2027", holidays: "2027-01-01" });
    expect((await errorOf(saveHolidayYear(t.ctx, actorOf(office), input))).status).toBe(403);
    const bad = holidayYearSchema.safeParse({
      year: "2027",
      holidays: "2028-01-01、2027-02-30",
      workdays: "",
    });
    expect(bad.success).toBe(false);
    const both = holidayYearSchema.safeParse({
      year: "2027",
      holidays: "2027-01-01",
      workdays: "2027-01-01",
    });
    expect(both.success).toBe(false);
  });
});
