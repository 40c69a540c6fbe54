import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserRecord } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import {
  countUnread,
  deliverOutbox,
  markNotificationsRead,
  notify,
  recordingAdapter,
} from "./notifications.server.ts";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t?.close());

describe("notifications", () => {
  it("puts a message in each inbox once, queues an SMS, and marks only the user's own as read", async () => {
    const a = await createUserRecord(t.ctx, { role: "county" });
    const b = await createUserRecord(t.ctx, { role: "county" });
    await notify(t.ctx, t.ctx.db, { userIds: [a.id, a.id, b.id], kind: "k", title: "标题", body: "正文" });
    expect(await countUnread(t.ctx, a.id)).toBe(1);
    await markNotificationsRead(t.ctx, a.id, "all");
    expect(await countUnread(t.ctx, a.id)).toBe(0);
    expect(await countUnread(t.ctx, b.id)).toBe(1);
  });

  it("delivers pending outbox messages; a failing adapter keeps them pending with the error, then gives up", async () => {
    const failing = { channel: "sms" as const, send: async () => Promise.reject(new Error("gateway down")) };
    for (let i = 0; i < 4; i++) expect(await deliverOutbox(t.ctx, [failing])).toBe(0);
    const pending = await t.ctx.db.selectFrom("outbox").selectAll().execute();
    expect(
      pending.every(
        (m) => m.status === "pending" && m.attempts === 4 && m.last_error?.includes("gateway down"),
      ),
    ).toBe(true);

    const sms = recordingAdapter("sms");
    expect(await deliverOutbox(t.ctx, [sms])).toBe(pending.length);
    expect(sms.sent).toHaveLength(pending.length);
    expect(await deliverOutbox(t.ctx, [sms])).toBe(0);

    const b = await createUserRecord(t.ctx, { role: "county" });
    await notify(t.ctx, t.ctx.db, { userIds: [b.id], kind: "k", title: "再次", body: "x" });
    for (let i = 0; i < 5; i++) await deliverOutbox(t.ctx, [failing]);
    const last = await t.ctx.db
      .selectFrom("outbox")
      .selectAll()
      .where("subject", "=", "再次")
      .executeTakeFirstOrThrow();
    expect(last.status).toBe("failed");
  });
});
