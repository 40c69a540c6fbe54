import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "#src/modules/accounts/accounts.server.ts";
import {
  decideVerification,
  getMyVerification,
  isOrgVerified,
  listVerificationQueue,
  submitVerification,
} from "#src/modules/verification/verification.server.ts";
import { fixedClock } from "#src/platform/clock.ts";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import { newId } from "#src/platform/ids.ts";
import {
  actorOf,
  createUserRecord,
  errorOf,
  type MadeUser,
  makeUscc,
} from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { getSchoolProfile, registerSchool } from "./school-accounts.server.ts";
import { registerSchoolSchema } from "./schools.schema.ts";

const clock = fixedClock("2026-03-02T10:00:00+08:00");
let t: TestContext;
let ctx: AppContext;
let longyou: MadeUser;
let jiangshan: MadeUser;
let ip = 0;

const form = (uscc: string) => ({
  uscc,
  unitName: "龙游县实验小学",
  regionCode: "330825",
  stages: "小学,九年一贯",
  address: "龙游县龙洲街道1号",
  contactName: "李老师",
  phone: "13800001234",
  password: "Kepu-test-2026",
  confirmPassword: "Kepu-test-2026",
});

async function addDocument(user: SessionUser, slot: string) {
  await ctx.db
    .insertInto("files")
    .values({
      id: newId(),
      storage_key: `k-${newId()}`,
      original_name: `${slot}.pdf`,
      mime: "application/pdf",
      size: 10,
      sha256: "0",
      kind: "pdf",
      width: null,
      height: null,
      thumb_key: null,
      owner_type: "org_verification",
      owner_id: user.id,
      slot,
      region_code: user.regionCode,
      created_by: user.id,
      created_at: clock.now().toISOString(),
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestContext({ clock });
  ctx = t.ctx;
  longyou = await createUserRecord(ctx, { role: "county", regionCode: "330825" });
  jiangshan = await createUserRecord(ctx, { role: "county", regionCode: "330881" });
});
afterAll(async () => {
  await t?.close();
});

describe("学校注册", () => {
  it("refuses a USCC that is not a 事业单位 code, beside the field", () => {
    const r = registerSchoolSchema.safeParse(form(makeUscc()));
    expect(r.success).toBe(false);
    expect(r.error?.issues.find((i) => i.path[0] === "uscc")?.message).toBe(
      "学校为事业单位，统一社会信用代码应以12开头",
    );
    const noStage = registerSchoolSchema.safeParse({ ...form(makeUscc("12330800")), stages: "" });
    expect(noStage.error?.issues.find((i) => i.path[0] === "stages")?.message).toBe("请选择学段");
  });

  it("creates an unverified school account with its stages and address, which signs in at 法人登录", async () => {
    const uscc = makeUscc("12330800");
    const school = await registerSchool(
      ctx,
      { user: null, ip: `10.9.0.${++ip}` },
      registerSchoolSchema.parse(form(uscc)),
    );
    expect(school.role).toBe("school");
    expect(await getSchoolProfile(ctx, school.id)).toEqual({
      stages: ["小学", "九年一贯"],
      address: "龙游县龙洲街道1号",
    });
    expect((await getMyVerification(ctx, actorOf(school))).status).toBe("unverified");
    const signedIn = await logIn(
      ctx,
      { user: null, ip: `10.9.1.${++ip}` },
      { kind: "org", login: uscc, password: "Kepu-test-2026" },
    );
    expect(signedIn.user.id).toBe(school.id);
    // The same USCC cannot register twice.
    const again = await errorOf(
      registerSchool(ctx, { user: null, ip: `10.9.0.${++ip}` }, registerSchoolSchema.parse(form(uscc))),
    );
    expect(again.code).toBe("VALIDATION");
  });

  it("is verified by the staff of its own county only", async () => {
    const school = await registerSchool(
      ctx,
      { user: null, ip: `10.9.0.${++ip}` },
      registerSchoolSchema.parse(form(makeUscc("12330800"))),
    );
    await addDocument(school, "org_license");
    await addDocument(school, "org_authorization");
    await submitVerification(ctx, actorOf(school));
    expect((await listVerificationQueue(ctx, actorOf(jiangshan))).map((r) => r.userId)).not.toContain(
      school.id,
    );
    const row = (await listVerificationQueue(ctx, actorOf(longyou))).find((r) => r.userId === school.id);
    expect(row?.status).toBe("pending");
    const other = await errorOf(
      decideVerification(ctx, actorOf(jiangshan), school.id, {
        decision: "approve",
        reason: "",
        version: row!.version,
      }),
    );
    expect(other.code).toBe("NOT_FOUND");
    await decideVerification(ctx, actorOf(longyou), school.id, {
      decision: "approve",
      reason: "",
      version: row!.version,
    });
    expect(await isOrgVerified(ctx.db, school.id)).toBe(true);
  });
});
