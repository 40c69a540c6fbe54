import type { z } from "zod";
import type { AnnouncementInput, ReportInput } from "#src/modules/activities/activities.schema.ts";
import {
  announceActivity,
  fileReport,
  getPublicActivity,
  listPublicActivities,
} from "#src/modules/activities/activities.server.ts";
import type { DirectorySort } from "#src/modules/bases/bases-directory.labels.ts";
import {
  type DirectoryKey,
  getPublicBase,
  listPublicBases,
} from "#src/modules/bases/bases-directory.server.ts";
import { listPublicNotices } from "#src/modules/notices/notices.server.ts";
import { listCatalogue } from "#src/modules/schools/school-items.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import { AppError } from "#src/platform/errors.ts";
import { maskPhone } from "#src/platform/phone.rules.ts";
import type {
  activitiesPageSchema,
  activitiesQuerySchema,
  activitySchema,
  baseResultSchema,
  basesPageSchema,
  basesQuerySchema,
  coursesPageSchema,
  coursesQuerySchema,
  noticesSchema,
} from "./api.schema.ts";
import {
  activitiesCursorSchema,
  type BasesCursor,
  basesCursorSchema,
  coursesCursorSchema,
  decodeCursor,
  encodeCursor,
} from "./api-cursor.rules.ts";
import { type ApiPrincipal, writerFor } from "./api-tokens.server.ts";

/**
 * The use cases behind /api/v1: each calls the public pages' own use case (the directory, the calendar,
 * 公示栏, the catalogue), so the API shows what the pages show, masked the same way. A token adds the
 * private fields of records inside its region, and nothing outside it.
 */

/** The cursor's key, or undefined without one (the first page); the query schema has refused bad ones. */
function keyOf<S extends z.ZodType>(shape: S, cursor: string | undefined): z.output<S> | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const key = decodeCursor(shape, cursor);
  if (key === null)
    throw Object.assign(new AppError("VALIDATION", "cursor 无效", { cursor: "cursor 无效" }), {
      httpStatus: 400,
    });
  return key;
}

/** Whether the token reads private data of this scope for a record in `regionCode`. */
export function readsPrivate(
  principal: ApiPrincipal | null,
  scope: "read:bases" | "read:activities",
  regionCode: string,
) {
  if (!principal || !principal.scopes.includes(scope)) return false;
  return principal.regions === null || principal.regions.includes(regionCode);
}

function directoryKeyOf(c: BasesCursor): DirectoryKey {
  const none = { regionCode: "", recognizedYear: 0, recognizedAt: "" };
  if (c.s === "name") return { ...none, name: c.k[0], id: c.k[1] };
  if (c.s === "county") return { ...none, regionCode: c.k[0], name: c.k[1], id: c.k[2] };
  const [recognizedYear, recognizedAt, name, id] = c.k;
  return { regionCode: "", recognizedYear, recognizedAt, name, id };
}

function basesCursorOf(sort: DirectorySort, k: DirectoryKey): BasesCursor {
  if (sort === "name") return { s: sort, k: [k.name, k.id] };
  if (sort === "county") return { s: sort, k: [k.regionCode, k.name, k.id] };
  return { s: sort, k: [k.recognizedYear, k.recognizedAt, k.name, k.id] };
}

export async function apiListBases(
  ctx: AppContext,
  query: z.output<typeof basesQuerySchema>,
): Promise<z.input<typeof basesPageSchema>> {
  const sort = query.sort ?? "name";
  const key = keyOf(basesCursorSchema, query.cursor);
  const r = await listPublicBases(ctx, {
    county: query.county,
    level: query.level,
    category: query.category,
    openingForm: query.openingForm,
    youthFree: query.youthFree === "true",
    q: query.q,
    sort,
    pageSize: query.limit,
    after: key ? directoryKeyOf(key) : null,
  });
  return {
    data: r.rows,
    total: r.total,
    nextCursor: r.nextKey && encodeCursor(basesCursorSchema, basesCursorOf(sort, r.nextKey)),
  };
}

export async function apiGetBase(
  ctx: AppContext,
  principal: ApiPrincipal | null,
  id: string,
): Promise<z.input<typeof baseResultSchema>> {
  const r = await getPublicBase(ctx, id);
  if (r.kind === "revoked") return r.base;
  if (!readsPrivate(principal, "read:bases", r.base.regionCode)) return r.base;
  const p = await ctx.db
    .selectFrom("bases")
    .select(["uscc", "warning_note", "recommended_level"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return {
    ...r.base,
    private: { uscc: p.uscc, warningNote: p.warning_note, recommendedLevel: p.recommended_level },
  };
}

export async function apiListActivities(
  ctx: AppContext,
  query: z.output<typeof activitiesQuerySchema>,
): Promise<z.input<typeof activitiesPageSchema>> {
  const key = keyOf(activitiesCursorSchema, query.cursor);
  const r = await listPublicActivities(ctx, {
    county: query.county,
    baseId: query.baseId,
    type: query.type,
    campaignId: query.campaignId,
    from: query.from,
    to: query.to,
    when: query.when,
    after: key && { startsAt: key.k[0], id: key.k[1] },
  });
  const last = r.items.at(-1);
  return {
    data: r.items.map(({ reportStatus: _, ...item }) => item),
    nextCursor:
      r.hasMore && last
        ? encodeCursor(activitiesCursorSchema, { w: query.when, k: [last.startsAt, last.id] })
        : null,
  };
}

const linksOf = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
};

export async function apiGetActivity(
  ctx: AppContext,
  principal: ApiPrincipal | null,
  id: string,
): Promise<z.input<typeof activitySchema>> {
  const { activity: a, baseName, campaigns, reportPublic } = await getPublicActivity(ctx, id);
  const out: z.input<typeof activitySchema> = {
    id: a.id,
    name: a.name,
    type: a.type,
    form: a.form,
    fee: a.fee,
    direction: a.direction,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    place: a.place,
    regionCode: a.region_code,
    baseId: a.base_id,
    baseName,
    link: a.link,
    audience: a.audience,
    description: a.description,
    contactName: a.contact_name,
    contactPhone: maskPhone(a.contact_phone),
    campaigns: campaigns.map((c) => ({ id: c.id, title: c.title })),
    report: reportPublic
      ? {
          actualParticipants: a.actual_participants,
          summary: a.report_summary,
          links: linksOf(a.report_links),
        }
      : null,
  };
  if (readsPrivate(principal, "read:activities", a.region_code))
    out.private = {
      expectedParticipants: a.expected_participants,
      reportStatus: a.report_status,
      actualParticipants: a.actual_participants,
      reportSummary: a.report_status === "none" ? null : a.report_summary,
    };
  return out;
}

export async function apiListNotices(ctx: AppContext): Promise<z.input<typeof noticesSchema>> {
  const rows = await listPublicNotices(ctx);
  return {
    data: rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      startsAt: n.starts_at,
      endsAt: n.ends_at,
      phase: n.phase.code,
      entries: n.entries,
    })),
  };
}

export async function apiListCourses(
  ctx: AppContext,
  query: z.output<typeof coursesQuerySchema>,
): Promise<z.input<typeof coursesPageSchema>> {
  const key = keyOf(coursesCursorSchema, query.cursor);
  const r = await listCatalogue(ctx, {
    county: query.county,
    grade: query.grade,
    kind: query.kind,
    subject: query.subject,
    page: 1,
    after: key ? { publishedAt: key.k[0], id: key.k[1] } : null,
  });
  return {
    total: r.total,
    totalCapped: r.totalCapped,
    nextCursor: r.nextKey && encodeCursor(coursesCursorSchema, { k: [r.nextKey.publishedAt, r.nextKey.id] }),
    data: r.items.map((i) => ({
      id: i.id,
      baseId: i.baseId,
      baseName: i.baseName,
      title: i.title,
      kind: i.kind,
      subjects: i.subjects,
      grades: i.grades,
      weekdays: i.weekdays,
      durationMinutes: i.durationMinutes,
      studentsPerSession: i.studentsPerSession,
      availableFrom: i.availableFrom,
      availableTo: i.availableTo,
      counties: i.counties,
      fee: i.fee,
      description: i.description,
      rating: i.rating,
      ratingCount: i.ratingCount,
    })),
  };
}

/** 活动预告 posted by a base's reporting system: the form's use case, as the base's own org account. */
export async function apiAnnounceActivity(
  ctx: AppContext,
  principal: ApiPrincipal,
  ip: string | null,
  input: AnnouncementInput,
): Promise<{ id: string }> {
  const actor = await writerFor(ctx, principal, ip);
  return { id: await announceActivity(ctx, actor, principal.baseId!, input) };
}

/** 活动小结 of one of the token's base's activities: the form's use case and rules (photos first). */
export async function apiFileReport(
  ctx: AppContext,
  principal: ApiPrincipal,
  ip: string | null,
  id: string,
  input: ReportInput,
): Promise<{ id: string }> {
  const actor = await writerFor(ctx, principal, ip);
  await fileReport(ctx, actor, id, input);
  return { id };
}
