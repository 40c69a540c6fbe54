import { type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import { listFiles } from "#src/modules/files/files.server.ts";
import { getFileOwner } from "#src/modules/files/owners.ts";
import { listRegions } from "#src/modules/regions/regions.server.ts";
import { getSetting } from "#src/modules/settings/settings.server.ts";
import { GenerationCache, readGenerations } from "#src/platform/cache/generations.server.ts";
import type { Engine } from "#src/platform/config.ts";
import { type AppContext, anonymous } from "#src/platform/context.ts";
import { CATEGORIES } from "#src/platform/db/reference-data.ts";
import type { DB } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { maskPhone } from "#src/platform/phone.rules.ts";
import {
  DIRECTORY_PAGE_SIZE,
  DIRECTORY_SORTS,
  type DirectorySort,
  YOUTH_FREE_FORMS,
} from "./bases-directory.labels.ts";
import {
  afterKey,
  baseKeywordMatches,
  type DirectoryKey,
  keywordDirectoryPage,
} from "./bases-search.server.ts";

export type { DirectoryKey } from "./bases-search.server.ts";

/**
 * The public 科普基地 directory: what anyone may read about recognized bases. Only active and
 * warning bases are listed; a revoked base keeps a page that says so. Personal phones are masked;
 * the booking phone (预约参观电话) is there to be called, so it is shown in full.
 */

/**
 * Whether the public pages show a base's 警示 (动态管理). Off by default: the directory and a base's
 * page then show a base on warning like any other; staff and the base itself always see it.
 */
export const PUBLIC_WARNING_SETTING = "bases.public_warning";

export async function warningsShownPublicly(ctx: Pick<AppContext, "db">): Promise<boolean> {
  return (await getSetting(ctx, PUBLIC_WARNING_SETTING)) === "1";
}

const MAX_PAGE_SIZE = 50;
const MAX_KEYWORD = 50;

export interface DirectoryFilter {
  county?: string;
  /** 市级 or 县级 (第十九条). */
  level?: string;
  category?: string;
  openingForm?: string;
  youthFree?: boolean;
  q?: string;
  sort?: DirectorySort;
  page?: number;
  pageSize?: number;
  /**
   * Keyset paging (the API): the page starts right after this row (null: the first page), `page` is
   * ignored, and the answer says whether more rows follow.
   */
  after?: DirectoryKey | null;
}

export interface PublicBaseSummary {
  id: string;
  name: string;
  unitName: string;
  regionCode: string;
  regionName: string;
  categoryCode: string;
  categoryName: string;
  openingForm: string | null;
  address: string;
  status: "active" | "warning";
  batchNo: number | null;
  recognizedYear: number;
  level: "city" | "county";
}

export interface DirectoryPage {
  rows: PublicBaseSummary[];
  total: number;
  page: number;
  pageSize: number;
  /** Keyset paging: the last row's key when more rows follow it, else null. */
  nextKey: DirectoryKey | null;
}

export interface PublicPhoto {
  id: string;
  url: string;
  thumbUrl: string | null;
  width: number | null;
  height: number | null;
}

export interface PublicBase extends PublicBaseSummary {
  intro: string;
  openingHours: string;
  openDays: number | null;
  areaSqm: number | null;
  bookingPhone: string;
  leaderName: string;
  /** Masked: 138****5678. */
  leaderPhone: string;
  contactName: string;
  /** Masked: 138****5678. */
  contactPhone: string;
  volunteerTeamName: string;
  volunteerCount: number | null;
  recognizedAt: string | null;
  certificateNo: string | null;
  photos: PublicPhoto[];
}

/** A revoked base's page: its name and that it was revoked, with the 第十八条 reason number only. */
export interface RevokedBase {
  id: string;
  name: string;
  status: "revoked";
  revokedAt: string | null;
  /** 1–5 (第十八条); the office's explanation stays internal. */
  revocationReason: number | null;
}

export type PublicBaseResult = { kind: "public"; base: PublicBase } | { kind: "revoked"; base: RevokedBase };

const CATEGORY_NAMES = new Map<string, string>(CATEGORIES.map((c) => [c.code, c.name]));

const LISTED = ["active", "warning"] as const;

function normalized(filter: DirectoryFilter) {
  const q = filter.q?.trim().slice(0, MAX_KEYWORD) || undefined;
  return {
    county: filter.county || undefined,
    level:
      filter.level === "city" || filter.level === "county" ? (filter.level as "city" | "county") : undefined,
    category: filter.category || undefined,
    openingForm: filter.openingForm || undefined,
    youthFree: filter.youthFree === true,
    q,
    sort: DIRECTORY_SORTS.includes(filter.sort as DirectorySort) ? (filter.sort as DirectorySort) : "name",
    page: filter.after === undefined ? Math.max(1, Math.floor(filter.page ?? 1) || 1) : 1,
    keyset: filter.after !== undefined,
    after: filter.after ?? undefined,
    pageSize: Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(filter.pageSize ?? DIRECTORY_PAGE_SIZE))),
  };
}

type Filter = ReturnType<typeof normalized>;

/** The 开放形式 values a filter allows, or undefined for any: the 开放形式 filter and 青少年免费 together. */
function openingFormsOf(f: Filter): readonly string[] | undefined {
  if (f.openingForm && f.youthFree)
    return (YOUTH_FREE_FORMS as readonly string[]).includes(f.openingForm) ? [f.openingForm] : [];
  if (f.openingForm) return [f.openingForm];
  if (f.youthFree) return YOUTH_FREE_FORMS;
  return undefined;
}

function where(engine: Engine, f: Filter, statuses: readonly ("active" | "warning")[] = LISTED) {
  return (eb: ExpressionBuilder<DB, "bases">) => {
    const conds: Expression<SqlBool>[] = [
      statuses.length === 1 ? eb("bases.status", "=", statuses[0]) : eb("bases.status", "in", statuses),
    ];
    if (f.after) conds.push(afterKey(f.sort, f.after));
    if (f.county) conds.push(eb("bases.region_code", "=", f.county));
    if (f.level) conds.push(eb("bases.level", "=", f.level));
    if (f.category) conds.push(eb("bases.category_code", "=", f.category));
    if (f.openingForm) conds.push(eb("bases.opening_form", "=", f.openingForm));
    if (f.youthFree) conds.push(eb("bases.opening_form", "in", YOUTH_FREE_FORMS));
    if (f.q) conds.push(baseKeywordMatches(engine, f.q));
    return eb.and(conds);
  };
}

const PAGE_COLUMNS = [
  "id",
  "name",
  "unit_name",
  "region_code",
  "category_code",
  "opening_form",
  "address",
  "status",
  "batch_no",
  "recognized_year",
  "recognized_at",
  "level",
] as const;

interface PageRow {
  id: string;
  name: string;
  unit_name: string;
  region_code: string;
  category_code: string;
  opening_form: string | null;
  address: string;
  status: string;
  batch_no: number | null;
  recognized_year: number;
  recognized_at: string | null;
  level: "city" | "county";
}

// Keyword totals scan every match; cache them until a base changes (ADR 0010).
const totals = new GenerationCache<number>(500);

/** Listed bases for a filter without a keyword, from the counts triggers keep (migration 0011). */
async function countListed(ctx: AppContext, f: Filter): Promise<number> {
  const forms = openingFormsOf(f);
  if (forms?.length === 0) return 0;
  let q = ctx.db
    .selectFrom("base_counts")
    .select((eb) => eb.fn.sum<number | string>("bases").as("n"))
    .where("status", "in", LISTED);
  if (f.county) q = q.where("region_code", "=", f.county);
  if (f.category) q = q.where("category_code", "=", f.category);
  if (forms) q = q.where("opening_form", "in", forms);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

export async function listPublicBases(ctx: AppContext, filter: DirectoryFilter = {}): Promise<DirectoryPage> {
  const f = normalized(filter);
  const totalKey = JSON.stringify([f.county, f.category, f.openingForm, f.youthFree, f.q, f.level]);
  // The trigger-kept counts have no level: a level filter counts the bases themselves (county-level ones are few).
  const countAll = () => (f.q || f.level ? countKeyword() : countListed(ctx, f));
  // Only keyword totals are cached, so only they need the generation. The count is of the whole
  // filter, not of the rows after a keyset start.
  const countKeyword = async () =>
    totals.get(ctx, totalKey, await readGenerations(ctx, ["bases"]), async () => {
      const row = await ctx.db
        .selectFrom("bases")
        .where(where(ctx.engine, { ...f, after: undefined }))
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    });
  // A keyset page reads only its own rows and one more (whether a next page exists); a numbered
  // page reads the ones before it too.
  const take = f.pageSize + (f.keyset ? 1 : 0);
  const upTo = (f.page - 1) * f.pageSize + take;
  // biome-ignore lint/suspicious/noExplicitAny: the same order over `bases` and over the merged rows
  const ordered = <Q extends SelectQueryBuilder<DB, any, PageRow>>(q: Q): Q => {
    if (f.sort === "newest")
      // coalesce: both engines then order missing dates the same way.
      return q
        .orderBy("recognized_year", "desc")
        .orderBy(sql`coalesce(recognized_at, '')`, "desc")
        .orderBy("name")
        .orderBy("id") as Q;
    if (f.sort === "county") return q.orderBy("region_code").orderBy("name").orderBy("id") as Q;
    return q.orderBy("name").orderBy("id") as Q;
  };
  // One ordered, limited query per listed status, merged: each walks an index in order and stops
  // early (bases_status_name for names, bases_status_county_name for one county's names,
  // bases_status_newest), where `status in (…) order by …` would sort every listed base.
  const merged = () => {
    const perStatus = (status: "active" | "warning") =>
      ordered(
        ctx.db
          .selectFrom("bases")
          .where(where(ctx.engine, f, [status]))
          .select(PAGE_COLUMNS),
      ).limit(upTo);
    return ctx.db
      .selectFrom(perStatus("active").as("a"))
      .selectAll()
      .unionAll(ctx.db.selectFrom(perStatus("warning").as("w")).selectAll());
  };
  const offset = (f.page - 1) * f.pageSize;
  let rows: PageRow[] = [];
  let total: number;
  const keywordPage =
    f.q && !f.level
      ? await keywordDirectoryPage(ctx, {
          q: f.q,
          statuses: LISTED,
          county: f.county,
          category: f.category,
          openingForms: openingFormsOf(f),
          sort: f.sort,
          limit: take,
          offset,
          after: f.after,
        })
      : null;
  if (keywordPage) {
    if (keywordPage.ids.length) {
      const byId = new Map(
        (
          await ctx.db.selectFrom("bases").select(PAGE_COLUMNS).where("id", "in", keywordPage.ids).execute()
        ).map((r) => [r.id, r]),
      );
      rows = keywordPage.ids.flatMap((id) => byId.get(id) ?? []);
    }
    // After a keyset start, or past the end, the page's own count is not the filter's.
    const counted = f.after ? null : keywordPage.total;
    total = counted ?? (offset === 0 && !f.after ? 0 : await countAll());
  } else if (f.q) {
    // A keyword may match anywhere in the text: one read gives both the page and the count (instead
    // of a count, then ordered walks that find rare matches only at the end).
    const found = await ordered(
      ctx.db
        .selectFrom("bases")
        .where(where(ctx.engine, f))
        .select(PAGE_COLUMNS)
        .select(sql<number | string>`count(*) over ()`.as("matches")),
    )
      .limit(take)
      .offset(offset)
      .execute();
    rows = found;
    const counted = found.length > 0 && !f.after ? Number(found[0].matches) : null;
    total = counted ?? (offset === 0 && !f.after ? 0 : await countAll());
  } else {
    total = await countAll();
    // One county in name order walks bases_status_county_name per status; other county or category
    // filters are selective through bases_directory: one query, sorted afterwards.
    const oneCountyByName = f.county && !f.level && f.sort !== "newest";
    if (total > 0 && (f.county || f.category || f.level) && !oneCountyByName) {
      rows = await ordered(ctx.db.selectFrom("bases").where(where(ctx.engine, f)).select(PAGE_COLUMNS))
        .limit(take)
        .offset(offset)
        .execute();
    } else if (total > 0) {
      rows = await ordered(ctx.db.selectFrom(merged().as("u")).selectAll())
        .limit(take)
        .offset(offset)
        .execute();
    }
  }
  const more = rows.length > f.pageSize;
  rows = rows.slice(0, f.pageSize);
  const toSummary = await summaries(ctx, rows.length > 0 && (await warningsShownPublicly(ctx)));
  const last = rows.at(-1);
  return {
    total,
    page: f.page,
    pageSize: f.pageSize,
    rows: rows.map(toSummary),
    nextKey:
      last && more
        ? {
            id: last.id,
            name: last.name,
            regionCode: last.region_code,
            recognizedYear: last.recognized_year,
            recognizedAt: last.recognized_at ?? "",
          }
        : null,
  };
}

/**
 * Turns directory rows into their public summaries (region and category names). 警示 shows only when
 * the office has chosen to show warnings publicly (`showWarning`); otherwise such a base reads as active.
 */
async function summaries(ctx: AppContext, showWarning: boolean): Promise<(r: PageRow) => PublicBaseSummary> {
  const regionNames = new Map((await listRegions(ctx)).map((r) => [r.code, r.name]));
  return (r) => ({
    id: r.id,
    name: r.name,
    unitName: r.unit_name,
    regionCode: r.region_code,
    regionName: regionNames.get(r.region_code) ?? r.region_code,
    categoryCode: r.category_code,
    categoryName: CATEGORY_NAMES.get(r.category_code) ?? r.category_code,
    openingForm: r.opening_form,
    address: r.address,
    status: r.status === "warning" && showWarning ? "warning" : "active",
    batchNo: r.batch_no,
    recognizedYear: r.recognized_year,
    level: r.level === "county" ? "county" : "city",
  });
}

/**
 * Every listed base of the directory, in its default order, with the columns and masking of the list:
 * the open data download (issue 19). Read in keyset chunks so no chunk sorts the whole table.
 */
export async function listAllPublicBases(ctx: AppContext): Promise<PublicBaseSummary[]> {
  const toSummary = await summaries(ctx, await warningsShownPublicly(ctx));
  const out: PublicBaseSummary[] = [];
  const f = normalized({});
  let after: { name: string; id: string } | null = null;
  for (;;) {
    let q = ctx.db.selectFrom("bases").where(where(ctx.engine, f)).select(PAGE_COLUMNS);
    if (after) {
      const { name, id } = after;
      q = q.where((eb) => eb.or([eb("name", ">", name), eb.and([eb("name", "=", name), eb("id", ">", id)])]));
    }
    const rows = await q.orderBy("name").orderBy("id").limit(2000).execute();
    out.push(...rows.map(toSummary));
    if (rows.length < 2000) return out;
    const last = rows[rows.length - 1];
    after = { name: last.name, id: last.id };
  }
}

/** A base's public page data; a revoked base answers with the fact of its revocation only. */
export async function getPublicBase(ctx: AppContext, id: string): Promise<PublicBaseResult> {
  const r = await ctx.db
    .selectFrom("bases")
    .where("id", "=", id)
    .select([
      "id",
      "name",
      "unit_name",
      "region_code",
      "category_code",
      "opening_form",
      "address",
      "status",
      "batch_no",
      "recognized_year",
      "recognized_at",
      "intro",
      "opening_hours",
      "open_days",
      "area_sqm",
      "booking_phone",
      "leader_name",
      "leader_phone",
      "contact_name",
      "contact_phone",
      "volunteer_team_name",
      "volunteer_count",
      "certificate_no",
      "revoked_at",
      "revocation_reason",
      "level",
    ])
    .executeTakeFirst();
  if (!r) throw new AppError("NOT_FOUND", "未找到该科普教育基地");
  if (r.status === "revoked") {
    return {
      kind: "revoked",
      base: {
        id: r.id,
        name: r.name,
        status: "revoked",
        revokedAt: r.revoked_at,
        revocationReason: r.revocation_reason,
      },
    };
  }
  const toSummary = await summaries(ctx, r.status === "warning" && (await warningsShownPublicly(ctx)));
  return {
    kind: "public",
    base: {
      ...toSummary(r),
      recognizedAt: r.recognized_at,
      intro: r.intro,
      openingHours: r.opening_hours,
      openDays: r.open_days,
      areaSqm: r.area_sqm === null ? null : Number(r.area_sqm),
      bookingPhone: r.booking_phone,
      leaderName: r.leader_name,
      leaderPhone: maskPhone(r.leader_phone),
      contactName: r.contact_name,
      contactPhone: maskPhone(r.contact_phone),
      volunteerTeamName: r.volunteer_team_name,
      volunteerCount: r.volunteer_count,
      certificateNo: r.certificate_no,
      photos: await publicPhotos(ctx, r.id),
    },
  };
}

/** Base photos, only once the bases feature lets anonymous visitors download them. */
async function publicPhotos(ctx: AppContext, baseId: string): Promise<PublicPhoto[]> {
  if (!getFileOwner("base")?.publicRead) return [];
  try {
    const files = await listFiles(ctx, anonymous(), "base", baseId);
    return files
      .filter((f) => f.slot === "base_photos" && f.kind === "image")
      .map((f) => ({ id: f.id, url: f.url, thumbUrl: f.thumbUrl ?? null, width: f.width, height: f.height }));
  } catch (e) {
    if (e instanceof AppError) return [];
    throw e;
  }
}
