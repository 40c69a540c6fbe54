import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "#src/modules/audit/audit.server.ts";
import { readGenerations } from "#src/platform/cache/generations.server.ts";
import { actorOf, createUserRecord } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import type { CallFormInput } from "./calls.schema.ts";
import { callIssuance, canManageCall, createCall, getCall, listCalls, updateCall } from "./calls.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

const input = (over: Partial<CallFormInput> = {}): CallFormInput => ({
  kind: "科普教育基地项目认定",
  batchNo: 9,
  title: "第九批衢州市科普教育基地创建",
  level: "city",
  regionCode: "330800",
  opensAt: "2024-01-09T16:00:00.000Z",
  closesAt: "2024-02-29T16:00:00.000Z",
  categoryCodes: ["science_venue"],
  targets: { "330825": 6 },
  notice: "通知",
  issuers: [],
  documentNo: "",
  ...over,
});

describe("calls", () => {
  it("lets the office create and edit a call, with optimistic versions and an audit trail", async () => {
    const office = await createUserRecord(t.ctx, { role: "office" });
    const id = await createCall(t.ctx, actorOf(office), input());
    const call = await getCall(t.ctx, id);
    expect(call).toMatchObject({
      title: "第九批衢州市科普教育基地创建",
      version: 1,
      categoryCodes: ["science_venue"],
    });
    await updateCall(t.ctx, actorOf(office), id, input({ title: "第九批（修订）" }), 1);
    await expect(updateCall(t.ctx, actorOf(office), id, input(), 1)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await getCall(t.ctx, id)).title).toBe("第九批（修订）");
    expect((await listCalls(t.ctx)).some((c) => c.id === id)).toBe(true);
    const trail = await listAuditEvents(t.ctx, { actor: office.login });
    expect(trail.map((e) => e.action)).toEqual(["call.update", "call.create"]);
  });

  it("refuses a city call to county staff (they run county-level calls only), and any call to organizations", async () => {
    const county = await createUserRecord(t.ctx, { role: "county", regionCode: "330825" });
    const org = await createUserRecord(t.ctx, { role: "org" });
    await expect(createCall(t.ctx, actorOf(county), input())).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(createCall(t.ctx, actorOf(org), input())).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lets an admin manage the call's documents, and nobody else", async () => {
    const admin = await createUserRecord(t.ctx, { role: "admin" });
    const city = await createUserRecord(t.ctx, { role: "city" });
    const id = await createCall(t.ctx, actorOf(admin), input());
    expect(await canManageCall(t.ctx, actorOf(admin), id)).toBe("330800");
    expect(await canManageCall(t.ctx, actorOf(city), id)).toBeNull();
    expect(await canManageCall(t.ctx, actorOf(null), id)).toBeNull();
  });
});

describe("issuance (第三条)", () => {
  it("defaults to the four city bodies, keeps what the office sets, and takes a county call's 科协", async () => {
    const office = await createUserRecord(t.ctx, { role: "office" });
    const id = await createCall(t.ctx, actorOf(office), input());
    expect(await callIssuance(t.ctx, await getCall(t.ctx, id))).toMatchObject({
      issuers: ["中共衢州市委宣传部", "衢州市科学技术协会", "衢州市教育局", "衢州市科学技术局"],
      documentNo: "",
      regionName: "衢州市",
    });
    const before = await readGenerations(t.ctx, ["notices"]);
    await updateCall(
      t.ctx,
      actorOf(office),
      id,
      input({ issuers: ["衢州市科学技术协会", "衢州市教育局"], documentNo: "衢科协〔2024〕12号" }),
      1,
    );
    // Cached public pages that show them are rendered afresh.
    expect(await readGenerations(t.ctx, ["notices"])).not.toBe(before);
    const call = await getCall(t.ctx, id);
    expect(await callIssuance(t.ctx, call)).toMatchObject({
      issuers: ["衢州市科学技术协会", "衢州市教育局"],
      documentNo: "衢科协〔2024〕12号",
    });
    const county = await createCall(t.ctx, actorOf(office), input({ level: "county", regionCode: "330825" }));
    expect((await callIssuance(t.ctx, await getCall(t.ctx, county))).issuers).toEqual(["龙游县科学技术协会"]);
    // No call (a base of an earlier batch, imported): the city of its county.
    expect((await callIssuance(t.ctx, null, "330825")).issuers[1]).toBe("衢州市科学技术协会");
  });
});
