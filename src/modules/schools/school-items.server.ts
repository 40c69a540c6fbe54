import { type Kysely, sql } from "kysely";
import { can } from "#src/modules/accounts/accounts.policy.ts";
import { authorize, deniedAsNotFound } from "#src/modules/accounts/authorize.server.ts";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { findOwnBase } from "#src/modules/bases/bases.server.ts";
import { notify, reviewersFor } from "#src/modules/notifications/notifications.server.ts";
import { listCounties, regionSubtree } from "#src/modules/regions/regions.server.ts";
import { bumpGeneration } from "#src/platform/cache/generations.server.ts";
import type { Actor, AppContext, SessionUser } from "#src/platform/context.ts";
import type { Base, DB, SchoolItem, SchoolItemKind, SchoolItemStatus } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";
import {
  averageRating,
  FEE_LABELS,
  fromMask,
  GRADES,
  ITEM_KIND_LABELS,
  ITEM_KIND_MODES,
  ITEM_PHOTO_SLOT,
  SUBJECTS,
  toMask,
  WEEKDAYS,
  weekdayIndex,
} from "./schools.rules.ts";
import type { CatalogueFilter, ItemInput } from "./schools.schema.ts";

/**
 * 精品科普课程与服务: a base's catalogue items. The base's org writes them; every save goes to its
 * county for approval; approved items are public in 【特色专区】→【科普助力双减】. Public pages are
 * cached under the school_services generation, bumped in each writing transaction.
 */

export { ITEM_PHOTO_SLOT };

const CONFLICT = "该项目刚刚已被他人修改或审核，请刷新页面查看最新状态。";
export interface ItemView {
  id: string;
  baseId: string;
  baseName: string;
  regionCode: string;
  title: string;
  kind: SchoolItemKind;
  kindLabel: string;
  mode: string;
  subjects: string[];
  grades: string[];
  weekdays: string[];
  durationMinutes: number;
  studentsPerSession: number;
  sessionsPerWeek: number;
  availableFrom: string;
  availableTo: string;
  counties: string[];
  countyNames: string[];
  fee: "free" | "discount";
  feeLabel: string;
  feeNote: string;
  description: string;
  prepare: string;
  safetyNotes: string;
  status: SchoolItemStatus;
  reviewReason: string | null;
  rating: number | null;
  ratingCount: number;
  version: number;
}

async function countyNameMap(ctx: AppContext): Promise<Map<string, string>> {
  return new Map((await listCounties(ctx)).map((c) => [c.code, c.name]));
}

function viewOf(
  row: SchoolItem & { base_name: string },
  counties: string[],
  names: Map<string, string>,
): ItemView {
  return {
    id: row.id,
    baseId: row.base_id,
    baseName: row.base_name,
    regionCode: row.region_code,
    title: row.title,
    kind: row.kind,
    kindLabel: ITEM_KIND_LABELS[row.kind],
    mode: ITEM_KIND_MODES[row.kind],
    subjects: fromMask(SUBJECTS, row.subject_mask),
    grades: fromMask(GRADES, row.grade_mask),
    weekdays: fromMask(WEEKDAYS, row.weekday_mask),
    durationMinutes: row.duration_minutes,
    studentsPerSession: row.students_per_session,
    sessionsPerWeek: row.sessions_per_week,
    availableFrom: row.available_from,
    availableTo: row.available_to,
    counties,
    countyNames: counties.map((c) => names.get(c) ?? c),
    fee: row.fee,
    feeLabel: FEE_LABELS[row.fee],
    feeNote: row.fee_note,
    description: row.description,
    prepare: row.prepare,
    safetyNotes: row.safety_notes,
    status: row.status,
    reviewReason: row.review_reason,
    rating: averageRating(row.rating_sum, row.rating_count),
    ratingCount: row.rating_count,
    version: row.version,
  };
}

async function countiesOf(db: Kysely<DB>, itemIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!itemIds.length) return out;
  const rows = await db
    .selectFrom("school_item_counties")
    .select(["item_id", "county_code"])
    .where("item_id", "in", itemIds)
    .orderBy("county_code")
    .execute();
  for (const r of rows) out.set(r.item_id, [...(out.get(r.item_id) ?? []), r.county_code]);
  return out;
}

const itemWithBase = (db: Kysely<DB>) =>
  db
    .selectFrom("school_items")
    .innerJoin("bases", "bases.id", "school_items.base_id")
    .selectAll("school_items")
    .select("bases.name as base_name");

async function viewsOf(ctx: AppContext, rows: (SchoolItem & { base_name: string })[]): Promise<ItemView[]> {
  const counties = await countiesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const names = await countyNameMap(ctx);
  return rows.map((r) => viewOf(r, counties.get(r.id) ?? [], names));
}

// ---- the base's side ----

/** The org's own base, not revoked: the only base whose items it writes. */
async function ownActiveBase(ctx: AppContext, actor: Actor): Promise<{ me: SessionUser; base: Base }> {
  const me = await authorize(ctx, actor, "bases:own");
  const base = await findOwnBase(ctx, me);
  if (!base || base.status === "revoked") throw new AppError("NOT_FOUND", "贵单位尚无已认定的科普教育基地");
  return { me, base };
}

export async function listOwnItems(
  ctx: AppContext,
  actor: Actor,
): Promise<{ base: Base; items: ItemView[] }> {
  const { base } = await ownActiveBase(ctx, actor);
  const rows = await itemWithBase(ctx.db)
    .where("school_items.base_id", "=", base.id)
    .orderBy("school_items.created_at", "desc")
    .execute();
  return { base, items: await viewsOf(ctx, rows) };
}

export async function getOwnItem(ctx: AppContext, actor: Actor, id: string): Promise<ItemView> {
  const { base } = await ownActiveBase(ctx, actor);
  const row = await itemWithBase(ctx.db)
    .where("school_items.id", "=", id)
    .where("school_items.base_id", "=", base.id)
    .executeTakeFirst();
  if (!row) return missingItem(ctx, actor, id);
  return (await viewsOf(ctx, [row]))[0];
}

async function missingItem(ctx: AppContext, actor: Actor, id: string): Promise<never> {
  const exists = await ctx.db.selectFrom("school_items").select("id").where("id", "=", id).executeTakeFirst();
  return deniedAsNotFound(ctx, actor, { type: "school_item", id, exists: !!exists });
}

async function checkCounties(ctx: AppContext, counties: string[]): Promise<void> {
  const known = new Set((await listCounties(ctx)).map((c) => c.code));
  if (counties.some((c) => !known.has(c)))
    throw new AppError("VALIDATION", "请选择服务区域", { counties: "请选择本市的县（市、区）" });
}

function columnsOf(input: ItemInput) {
  return {
    title: input.title,
    kind: input.kind,
    subject_mask: toMask(SUBJECTS, input.subjects),
    grade_mask: toMask(GRADES, input.grades),
    weekday_mask: toMask(WEEKDAYS, input.weekdays),
    duration_minutes: input.durationMinutes,
    students_per_session: input.studentsPerSession,
    sessions_per_week: input.sessionsPerWeek,
    available_from: input.availableFrom,
    available_to: input.availableTo,
    fee: input.fee,
    fee_note: input.feeNote,
    description: input.description,
    prepare: input.prepare,
    safety_notes: input.safetyNotes,
  };
}

/**
 * 提交审核: creates an item (id null) or saves the org's edit of one. Either way it waits for the
 * county's approval; an approved item that is edited leaves the public catalogue until approved again.
 */
export async function saveItem(
  ctx: AppContext,
  actor: Actor,
  id: string | null,
  input: ItemInput,
  version = 0,
): Promise<string> {
  const { me, base } = await ownActiveBase(ctx, actor);
  await checkCounties(ctx, input.counties);
  const now = ctx.clock.now().toISOString();
  // Scoped before the transaction: a miss is audited on its own connection.
  const before = id
    ? await ctx.db
        .selectFrom("school_items")
        .select(["status", "version"])
        .where("id", "=", id)
        .where("base_id", "=", base.id)
        .executeTakeFirst()
    : undefined;
  if (id && !before) return missingItem(ctx, actor, id);
  return ctx.db.transaction().execute(async (trx) => {
    let itemId = id;
    const wasPublic = before?.status === "approved";
    if (!itemId) {
      itemId = newId();
      await trx
        .insertInto("school_items")
        .values({
          id: itemId,
          base_id: base.id,
          region_code: base.region_code,
          ...columnsOf(input),
          status: "pending",
          review_reason: null,
          reviewed_by: null,
          reviewed_at: null,
          published_at: null,
          created_by: me.id,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } else {
      const moved = await trx
        .updateTable("school_items")
        .set((eb) => ({
          ...columnsOf(input),
          status: "pending",
          updated_at: now,
          version: eb("version", "+", 1),
        }))
        .where("id", "=", itemId)
        .where("base_id", "=", base.id)
        .where("version", "=", version)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
      await trx.deleteFrom("school_item_counties").where("item_id", "=", itemId).execute();
    }
    await trx
      .insertInto("school_item_counties")
      .values(
        input.counties.map((county_code) => ({
          item_id: itemId,
          county_code,
          public: 0,
          published_at: null,
        })),
      )
      .execute();
    if (wasPublic) await bumpGeneration(trx, "school_services");
    await recordAudit(ctx, trx, actor, {
      action: "school_item.submit",
      targetType: "school_item",
      targetId: itemId,
      detail: { after: { title: input.title, kind: input.kind, status: "pending" } },
    });
    await notify(ctx, trx, {
      userIds: await reviewersFor(trx, "county", [base.region_code]),
      kind: "school_item.submitted",
      title: "科普助力双减项目待审核",
      body: `“${base.name}”提交了项目“${input.title}”，请审核后上架。`,
      link: "/admin/school-items",
    });
    return itemId;
  });
}

// ---- county review ----

async function reviewScope(ctx: AppContext, actor: Actor): Promise<string[]> {
  const me = await authorize(ctx, actor, "school-items:review");
  const scope = await regionSubtree(ctx, me.regionCode);
  return scope.length ? scope : [""];
}

export async function listItemReviews(
  ctx: AppContext,
  actor: Actor,
  status: SchoolItemStatus = "pending",
): Promise<ItemView[]> {
  const scope = await reviewScope(ctx, actor);
  const rows = await itemWithBase(ctx.db)
    .where("school_items.region_code", "in", scope)
    .where("school_items.status", "=", status)
    .orderBy("school_items.updated_at", status === "pending" ? "asc" : "desc")
    .limit(200)
    .execute();
  return viewsOf(ctx, rows);
}

/** 通过 (the item goes public) or 退回 with a reason the base sees. */
export async function reviewItem(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { decision: "approve" | "return"; reason: string; version: number },
): Promise<void> {
  const scope = await reviewScope(ctx, actor);
  const row = await itemWithBase(ctx.db)
    .where("school_items.id", "=", id)
    .where("school_items.region_code", "in", scope)
    .executeTakeFirst();
  if (!row) return missingItem(ctx, actor, id);
  if (row.status !== "pending" || row.version !== input.version) throw new AppError("CONFLICT", CONFLICT);
  const approve = input.decision === "approve";
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("school_items")
      .set((eb) => ({
        status: approve ? ("approved" as const) : ("returned" as const),
        review_reason: approve ? null : input.reason,
        reviewed_by: actor.user!.id,
        reviewed_at: now,
        published_at: approve ? now : row.published_at,
        updated_at: now,
        version: eb("version", "+", 1),
      }))
      .where("id", "=", id)
      .where("status", "=", "pending")
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new AppError("CONFLICT", CONFLICT);
    if (approve) {
      await trx
        .updateTable("school_item_counties")
        .set({ public: 1, published_at: now })
        .where("item_id", "=", id)
        .execute();
      await bumpGeneration(trx, "school_services");
    }
    await recordAudit(ctx, trx, actor, {
      action: approve ? "school_item.approve" : "school_item.return",
      targetType: "school_item",
      targetId: id,
      detail: {
        before: { status: "pending" },
        after: { status: approve ? "approved" : "returned" },
        reason: input.reason || undefined,
      },
    });
    await notify(ctx, trx, {
      userIds: await baseAccountIds(trx, row.base_id),
      kind: approve ? "school_item.approved" : "school_item.returned",
      title: approve ? "科普助力双减项目已上架" : "科普助力双减项目被退回",
      body: approve
        ? `项目“${row.title}”已通过审核，学校可以点单了。`
        : `项目“${row.title}”被退回：${input.reason}`,
      link: `/my-base/school-items/${id}`,
    });
  });
}

/** The accounts of a base's organization: they receive the base's notifications. */
export async function baseAccountIds(db: Kysely<DB>, baseId: string): Promise<string[]> {
  const rows = await db.selectFrom("base_accounts").select("user_id").where("base_id", "=", baseId).execute();
  return rows.map((r) => r.user_id);
}

// ---- the public catalogue ----

export const CATALOGUE_PAGE_SIZE = 20;
/** The catalogue counts its matches up to this many (50 pages); past it, the total reads “1000+”. */
export const CATALOGUE_COUNT_CAP = 1000;

export interface CataloguePage {
  items: ItemView[];
  /** At most CATALOGUE_COUNT_CAP. */
  total: number;
  /** More items match than `total` says. */
  totalCapped: boolean;
  page: number;
  pageSize: number;
  /** Keyset paging: the last item's key when more items follow it, else null. */
  nextKey: CatalogueKey | null;
}

/** An item's place in the catalogue's order (newest publication first, then id). */
export interface CatalogueKey {
  publishedAt: string;
  id: string;
}

/**
 * 【科普助力双减】: approved items, newest first, filtered by the county served, grade band, kind,
 * subject and a date (inside the range, on an offered weekday).
 */
export async function listCatalogue(
  ctx: AppContext,
  filter: CatalogueFilter & {
    /** Keyset paging (the API): right after this item (null: the first page); `page` is ignored. */
    after?: CatalogueKey | null;
  },
): Promise<CataloguePage> {
  // With a county, the walk starts from that county's public rows (school_item_counties_public, in
  // publication order) and joins each item by its key, instead of testing every approved item.
  let q = filter.county
    ? ctx.db
        .selectFrom("school_item_counties")
        .innerJoin("school_items", "school_items.id", "school_item_counties.item_id")
        .where("school_item_counties.county_code", "=", filter.county)
        .where("school_item_counties.public", "=", 1)
    : ctx.db.selectFrom("school_items");
  q = q.where("school_items.status", "=", "approved");
  if (filter.grade)
    q = q.where(sql<boolean>`(school_items.grade_mask & ${toMask(GRADES, [filter.grade])}) <> 0`);
  if (filter.subject)
    q = q.where(sql<boolean>`(school_items.subject_mask & ${toMask(SUBJECTS, [filter.subject])}) <> 0`);
  if (filter.kind) q = q.where("school_items.kind", "=", filter.kind);
  if (filter.date) {
    q = q
      .where("school_items.available_from", "<=", filter.date)
      .where("school_items.available_to", ">=", filter.date)
      .where(sql<boolean>`(school_items.weekday_mask & ${1 << weekdayIndex(filter.date)}) <> 0`);
  }
  const keyset = filter.after !== undefined;
  const page = keyset ? 1 : (filter.page ?? 1);
  // With a county, order by the walked index's own columns (the same values as the item's).
  const published = sql.ref<string>(
    filter.county ? "school_item_counties.published_at" : "school_items.published_at",
  );
  const itemId = sql.ref<string>(filter.county ? "school_item_counties.item_id" : "school_items.id");
  let pageQuery = q;
  if (filter.after) {
    const { publishedAt, id } = filter.after;
    pageQuery = pageQuery.where((eb) => eb(eb.tuple(published, itemId), "<", eb.tuple(publishedAt, id)));
  }
  const [count, found] = await Promise.all([
    // Counting every match of a broad filter reads tens of thousands of items: count up to the cap.
    ctx.db
      .selectFrom(
        q
          .select(sql.lit(1).as("one"))
          .limit(CATALOGUE_COUNT_CAP + 1)
          .as("m"),
      )
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    pageQuery
      .innerJoin("bases", "bases.id", "school_items.base_id")
      .selectAll("school_items")
      .select("bases.name as base_name")
      .orderBy(published, "desc")
      .orderBy(itemId, "desc")
      // One more on a keyset page: whether a next page exists.
      .limit(CATALOGUE_PAGE_SIZE + (keyset ? 1 : 0))
      .offset((page - 1) * CATALOGUE_PAGE_SIZE)
      .execute(),
  ]);
  const rows = found.slice(0, CATALOGUE_PAGE_SIZE);
  const last = rows.at(-1);
  const n = Number(count.n);
  return {
    items: await viewsOf(ctx, rows),
    total: Math.min(n, CATALOGUE_COUNT_CAP),
    totalCapped: n > CATALOGUE_COUNT_CAP,
    page,
    pageSize: CATALOGUE_PAGE_SIZE,
    nextKey:
      last && found.length > CATALOGUE_PAGE_SIZE
        ? { publishedAt: last.published_at ?? "", id: last.id }
        : null,
  };
}

export interface PublicRating {
  id: string;
  schoolName: string;
  content: number;
  organization: number;
  safety: number;
  comment: string;
  ratedAt: string;
  reply: string | null;
}

/** An approved item's public page: its details and the schools' ratings with the base's replies. */
export async function getPublicItem(
  ctx: AppContext,
  id: string,
): Promise<{ item: ItemView; ratings: PublicRating[] } | null> {
  const row = await itemWithBase(ctx.db)
    .where("school_items.id", "=", id)
    .where("school_items.status", "=", "approved")
    .executeTakeFirst();
  if (!row) return null;
  const ratings = await ctx.db
    .selectFrom("school_orders")
    .innerJoin("users", "users.id", "school_orders.school_id")
    .select([
      "school_orders.id",
      "users.display_name",
      "school_orders.rating_content",
      "school_orders.rating_organization",
      "school_orders.rating_safety",
      "school_orders.rating_comment",
      "school_orders.rated_at",
      "school_orders.reply",
    ])
    .where("school_orders.item_id", "=", id)
    .where("school_orders.rated_at", "is not", null)
    .orderBy("school_orders.rated_at", "desc")
    .limit(50)
    .execute();
  return {
    item: (await viewsOf(ctx, [row]))[0],
    ratings: ratings.map((r) => ({
      id: r.id,
      schoolName: r.display_name,
      content: r.rating_content ?? 0,
      organization: r.rating_organization ?? 0,
      safety: r.rating_safety ?? 0,
      comment: r.rating_comment ?? "",
      ratedAt: r.rated_at!,
      reply: r.reply,
    })),
  };
}

// ---- files: an item's photos ----

/** Read: anyone once approved; before that the base's org and the reviewers in scope. Returns the region. */
export async function itemPhotoReadRegion(ctx: AppContext, actor: Actor, id: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom("school_items")
    .select(["region_code", "status", "base_id"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  if (row.status === "approved") return row.region_code;
  const user = actor.user;
  if (!user || user.mustChangePassword) return null;
  if (user.role === "org") return (await findOwnBase(ctx, user))?.id === row.base_id ? row.region_code : null;
  if (!can(user, "school-items:review")) return null;
  return (await regionSubtree(ctx, user.regionCode)).includes(row.region_code) ? row.region_code : null;
}

/** Write: the base's org only. */
export async function itemPhotoWriteRegion(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<string | null> {
  const user = actor.user;
  if (!user || user.role !== "org" || user.mustChangePassword) return null;
  const base = await findOwnBase(ctx, user);
  if (!base || base.status === "revoked") return null;
  const row = await ctx.db
    .selectFrom("school_items")
    .select("region_code")
    .where("id", "=", id)
    .where("base_id", "=", base.id)
    .executeTakeFirst();
  return row?.region_code ?? null;
}
