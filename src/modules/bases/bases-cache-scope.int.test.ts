import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteFile, prepareUpload, storeUpload } from "#src/modules/files/files.server.ts";
import { readGenerationScopes } from "#src/platform/cache/generations.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import { actorOf, createUserRecord, linkBase, type MadeUser } from "../../../tests/support/factories.ts";
import { createTestContext, type TestContext } from "../../../tests/support/test-db.ts";
import { registerBaseFiles } from "./bases.files.ts";
import { changeReportSchema } from "./bases.schema.ts";
import {
  decideChangeReport,
  fileChangeReport,
  getStaffBase,
  recommendBase,
  revokeBase,
  updateBaseProfile,
} from "./bases.server.ts";
import { insertBase, profileInput } from "./bases-directory.fixtures.ts";

/**
 * Writes about one base bump the `bases` generation scoped to that base (a `generation_scopes` row),
 * so that the response cache keeps the pages of the other bases (ADR 0011).
 */
let t: TestContext;
let ctx: AppContext;
let dataDir: string;
let org: MadeUser;
let office: MadeUser;
let ownBase: string;
let otherBase: string;

beforeAll(async () => {
  t = await createTestContext();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kepu-base-scope-"));
  ctx = { ...t.ctx, config: { ...t.ctx.config, dataDir } };
  registerBaseFiles();
  org = await createUserRecord(ctx, { role: "org" });
  office = await createUserRecord(ctx, { role: "office" });
  ownBase = await insertBase(ctx, { uscc: org.login });
  await linkBase(ctx, ownBase, org.id);
  otherBase = await insertBase(ctx);
});
afterAll(async () => {
  await t?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function basesCounter(): Promise<number> {
  const row = await ctx.db
    .selectFrom("generations")
    .select("value")
    .where("key", "=", "bases")
    .executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** Runs `write` and answers the bumps of `bases` it made, with their scopes. */
async function bumpsOf(write: () => Promise<unknown>) {
  const before = await basesCounter();
  await write();
  const after = await basesCounter();
  const rows = await readGenerationScopes(ctx, "bases", before, after);
  return { bumps: after - before, before, rows: rows.sort((a, b) => a.value - b.value) };
}

let seq = 0;
/** Uploads a small JPEG into a slot of an owner, as `actor`. */
async function uploadPhoto(ownerType: string, ownerId: string, slotId: string, user: MadeUser) {
  const actor = actorOf(user);
  const target = await prepareUpload(ctx, actor, { ownerType, ownerId, slotId });
  const tempPath = path.join(dataDir, `upload-${++seq}.jpg`);
  await sharp({ create: { width: 40, height: 30, channels: 3, background: "#3366cc" } })
    .jpeg()
    .toFile(tempPath);
  try {
    return await storeUpload(ctx, actor, target, {
      tempPath,
      originalName: "照片.jpg",
      size: fs.statSync(tempPath).size,
    });
  } finally {
    fs.rmSync(tempPath, { force: true });
  }
}

describe("base photos", () => {
  it("uploading a photo bumps bases once, scoped to that base", async () => {
    let id = "";
    const { bumps, before, rows } = await bumpsOf(async () => {
      id = (await uploadPhoto("base", ownBase, "base_photos", org)).id;
    });
    expect(bumps).toBe(1);
    expect(rows).toEqual([{ value: before + 1, scope: ownBase }]);
    const stored = await ctx.db.selectFrom("files").select("owner_id").where("id", "=", id).execute();
    expect(stored).toEqual([{ owner_id: ownBase }]);
  });

  it("deleting a photo bumps bases once, scoped to that base", async () => {
    const photo = await uploadPhoto("base", ownBase, "base_photos", org);
    const { bumps, before, rows } = await bumpsOf(() => deleteFile(ctx, actorOf(org), photo.id));
    expect(bumps).toBe(1);
    expect(rows).toEqual([{ value: before + 1, scope: ownBase }]);
    expect(await ctx.db.selectFrom("files").select("id").where("id", "=", photo.id).execute()).toEqual([]);
  });

  it("a file of another owner type of the base (change evidence) does not bump bases", async () => {
    const { bumps, rows } = await bumpsOf(() => uploadPhoto("base_change", ownBase, "change_evidence", org));
    expect(bumps).toBe(0);
    expect(rows).toEqual([]);
  });
});

describe("base writes", () => {
  const version = async (id: string) => (await getStaffBase(ctx, actorOf(office), id)).base.version;

  it("updating the profile is scoped to the base", async () => {
    const input = profileInput(await version(ownBase));
    const { bumps, before, rows } = await bumpsOf(() => updateBaseProfile(ctx, actorOf(org), input));
    expect(bumps).toBe(1);
    expect(rows).toEqual([{ value: before + 1, scope: ownBase }]);
  });

  it("recommending is scoped to the base", async () => {
    const v = await version(otherBase);
    const { bumps, before, rows } = await bumpsOf(() =>
      recommendBase(ctx, actorOf(office), otherBase, { level: "province", note: "", version: v }),
    );
    expect(bumps).toBe(1);
    expect(rows).toEqual([{ value: before + 1, scope: otherBase }]);
  });

  it("approving a change report is scoped to the base", async () => {
    const report = await fileChangeReport(
      ctx,
      actorOf(org),
      changeReportSchema.parse({
        kind: "contact",
        happenedOn: ctx.clock.now().toISOString().slice(0, 10),
        contactName: "王新",
        explanation: "联系人变更",
      }),
    );
    const { bumps, before, rows } = await bumpsOf(() =>
      decideChangeReport(ctx, actorOf(office), report.id, {
        decision: "approve",
        reply: "",
        version: report.version,
      }),
    );
    expect(bumps).toBe(1);
    expect(rows).toEqual([{ value: before + 1, scope: ownBase }]);
  });

  it("revoking is scoped to the base", async () => {
    const v = await version(otherBase);
    const { bumps, before, rows } = await bumpsOf(() =>
      revokeBase(ctx, actorOf(office), otherBase, { reason: 5, explanation: "已不具备开放条件", version: v }),
    );
    expect(bumps).toBe(1);
    expect(rows).toEqual([{ value: before + 1, scope: otherBase }]);
  });
});
