import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actorOf,
  createUserRecord,
  errorOf,
  makeUscc,
  TEST_PASSWORD,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { registerOrgSchema } from "./accounts.schema.ts";
import { registerOrg } from "./accounts.server.ts";
import { profileSchema } from "./profile.schema.ts";
import { getMyProfile, updateMyProfile } from "./profile.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const parse = (raw: Record<string, string>) => profileSchema.parse(raw);

describe("账号信息", () => {
  it("saves the user's email, phone and reminder choices, and audits which changed", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    const before = await getMyProfile(t.ctx, actorOf(org));
    expect(before.reminders.map((r) => [r.kind, r.on])).toEqual([
      ["call_closing", true],
      ["return_deadline", true],
    ]);
    await updateMyProfile(
      t.ctx,
      actorOf(org),
      parse({
        phone: "139 0000 1234",
        email: " Zhang@Example.CN ",
        reminder_return_deadline: "on",
        version: String(before.version),
      }),
    );
    const after = await getMyProfile(t.ctx, actorOf(org));
    expect(after).toMatchObject({ phone: "13900001234", email: "zhang@example.cn" });
    expect(after.reminders.map((r) => [r.kind, r.on])).toEqual([
      ["call_closing", false],
      ["return_deadline", true],
    ]);
    const audit = await t.ctx.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "account.profile")
      .where("target_id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toEqual({
      changed: ["phone", "email"],
      remindersOff: ["call_closing"],
    });
    expect(audit.detail).not.toContain("zhang@");

    // The page's version is stale now.
    const stale = await errorOf(
      updateMyProfile(t.ctx, actorOf(org), parse({ phone: "13900001234", version: String(before.version) })),
    );
    expect(stale.code).toBe("CONFLICT");
  });

  it("removes the email when left blank; an org keeps a phone", async () => {
    const org = await createUserRecord(t.ctx, { role: "org" });
    const p = await getMyProfile(t.ctx, actorOf(org));
    const e = await errorOf(
      updateMyProfile(t.ctx, actorOf(org), parse({ phone: "", email: "", version: String(p.version) })),
    );
    expect(e.fieldErrors).toEqual({ phone: "请填写联系电话" });
    const staff = await createUserRecord(t.ctx, { role: "county" });
    const s = await getMyProfile(t.ctx, actorOf(staff));
    await updateMyProfile(t.ctx, actorOf(staff), parse({ phone: "", email: "", version: String(s.version) }));
    expect(await getMyProfile(t.ctx, actorOf(staff))).toMatchObject({ phone: null, email: null });
  });

  it("explains a mistyped email and phone beside the fields", () => {
    const r = profileSchema.safeParse({ phone: "12345", email: "zhang@", version: "1" });
    expect(r.success).toBe(false);
    const fields = Object.fromEntries(r.error!.issues.map((i) => [i.path[0], i.message]));
    expect(fields.email).toBe("请输入正确的电子邮箱，如 name@example.cn");
    expect(fields.phone).toContain("请输入正确的电话号码");
  });

  it("keeps the email given at registration", async () => {
    const input = registerOrgSchema.parse({
      uscc: makeUscc(),
      unitName: "示例科技馆",
      regionCode: "330825",
      contactName: "王五",
      phone: "13800002222",
      email: "org@example.cn",
      password: TEST_PASSWORD,
      confirmPassword: TEST_PASSWORD,
    });
    const user = await registerOrg(t.ctx, actorOf(null), input);
    expect((await getMyProfile(t.ctx, actorOf(user))).email).toBe("org@example.cn");
  });
});
