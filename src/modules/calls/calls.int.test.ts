import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "#src/modules/audit/audit.server.ts";
import { actorOf, createUserRecord } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import type { CallFormInput } from "./calls.schema.ts";
import { canManageCall, createCall, getCall, listCalls, updateCall } from "./calls.server.ts";

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

  it("refuses county staff and organizations", async () => {
    const county = await createUserRecord(t.ctx, { role: "county" });
    const org = await createUserRecord(t.ctx, { role: "org" });
    await expect(createCall(t.ctx, actorOf(county), input())).rejects.toMatchObject({ code: "FORBIDDEN" });
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
