import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "#src/platform/clock.ts";
import { actorOf, createUserRecord, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { beijingWall, column, expectFrozenFilteredHeader, openExport } from "../../../tests/support/xlsx.ts";
import { prepareUsersXlsx, USERS_EXPORT_HEADERS, userFilterOf } from "./users-export.server.ts";

const clock = fixedClock("2026-03-10T10:00:00+08:00");
let t: TestContext;
let city: MadeUser;
let longyouCounty: MadeUser;
let longyouOrg: MadeUser;
let kechengOrg: MadeUser;
let disabledOrg: MadeUser;

beforeAll(async () => {
  t = await createTestContext({ clock });
  city = await createUserRecord(t.ctx, { role: "city" });
  longyouCounty = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
  longyouOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825" });
  kechengOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330802" });
  disabledOrg = await createUserRecord(t.ctx, { role: "org", regionCode: "330825", disabled: true });
  await t.ctx.db
    .updateTable("users")
    .set({ last_login_at: "2026-03-01T16:30:00.000Z" })
    .where("id", "=", longyouOrg.id)
    .execute();
});
afterAll(async () => t?.close());

const loginsOf = (rows: unknown[][]) => rows.map((r) => r[1] || r[2]);

describe("the users export", () => {
  it("has every account the list shows, real Beijing dates, a frozen filtered header, and is audited", async () => {
    const { sheet, headers, rows } = await openExport(
      await prepareUsersXlsx(t.ctx, actorOf(city), userFilterOf(new URLSearchParams("page=3"))),
    );
    expect(headers).toEqual(USERS_EXPORT_HEADERS);
    expect(rows).toHaveLength(5);
    expectFrozenFilteredHeader(sheet, headers.length, 5);
    const i = loginsOf(rows).indexOf(longyouOrg.login);
    const lastLogin = column(sheet, headers, "最近登录")[i];
    expect(lastLogin).toBeInstanceOf(Date);
    expect(lastLogin).toEqual(beijingWall("2026-03-01T16:30:00.000Z"));
    expect(column(sheet, headers, "创建时间").every((v) => v instanceof Date)).toBe(true);
    const audited = await t.ctx.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "user.export")
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0].actor_id).toBe(city.id);
  });

  it("applies the list's filters", async () => {
    const { rows } = await openExport(
      await prepareUsersXlsx(
        t.ctx,
        actorOf(city),
        userFilterOf(new URLSearchParams("role=org&status=active&region=330825")),
      ),
    );
    expect(loginsOf(rows)).toEqual([longyouOrg.login]);
    const disabled = await openExport(
      await prepareUsersXlsx(t.ctx, actorOf(city), userFilterOf(new URLSearchParams("status=disabled"))),
    );
    expect(loginsOf(disabled.rows)).toEqual([disabledOrg.login]);
    expect(column(disabled.sheet, disabled.headers, "停用时间")[0]).toBeInstanceOf(Date);
  });

  it("holds none of another county's accounts for a county's staff, whatever the filter asks", async () => {
    const mine = await openExport(await prepareUsersXlsx(t.ctx, actorOf(longyouCounty), {}));
    expect(new Set(mine.rows.map((r) => r[4]))).toEqual(new Set(["龙游县"]));
    expect(loginsOf(mine.rows)).not.toContain(kechengOrg.login);
    expect(loginsOf(mine.rows)).toContain(longyouOrg.login);
    const asked = await openExport(
      await prepareUsersXlsx(t.ctx, actorOf(longyouCounty), { regionCode: "330802" }),
    );
    expect(asked.rows).toHaveLength(0);
  });

  it("is refused to an organization", async () => {
    const err = await prepareUsersXlsx(t.ctx, actorOf(longyouOrg), {}).catch((e) => e);
    expect(err.code).toBe("FORBIDDEN");
  });
});
