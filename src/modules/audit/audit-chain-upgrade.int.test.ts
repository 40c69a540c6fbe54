import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest } from "#src/platform/db/database.ts";
import { newId } from "#src/platform/ids.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { recordAudit } from "./audit.server.ts";
import { verifyAuditChain } from "./audit-chain.server.ts";

// An installation upgraded from before 0015 has audit rows without a chain: the migration must
// chain them oldest first, so verify passes and new rows continue the chain.
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ migratedTo: "0012-generation-scopes" });
});
afterAll(async () => t?.close());

describe("0015-audit-chain", () => {
  it("chains the rows an older installation already has, and later appends continue the chain", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const id = newId(Date.UTC(2025, 0, 1) + i * 1000);
      ids.push(id);
      // biome-ignore lint/suspicious/noExplicitAny: the table as it was before 0015
      await (t.ctx.db as any)
        .insertInto("audit_events")
        .values({
          id,
          at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
          action: "auth.login",
          outcome: "success",
          ip: "10.0.0.1",
          detail: JSON.stringify({ i }),
        })
        .execute();
    }
    expect(await migrateToLatest(t.handle)).toContain("0015-audit-chain");
    const rows = await t.ctx.db.selectFrom("audit_events").select(["id", "seq"]).orderBy("seq").execute();
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(await verifyAuditChain(t.ctx)).toEqual({ checked: 25, headSeq: 25 });
    await recordAudit(t.ctx, t.ctx.db, { user: null, ip: null }, { action: "after.upgrade" });
    expect(await verifyAuditChain(t.ctx)).toEqual({ checked: 26, headSeq: 26 });
    await expect(t.ctx.db.updateTable("audit_events").set({ action: "x" }).execute()).rejects.toThrow(
      /append-only/,
    );
  });
});
