import type { AppContext } from "#src/platform/context.ts";
import type { NewBase } from "#src/platform/db/schema.ts";
import { newId } from "#src/platform/ids.ts";
import { makeUscc } from "../../../tests/support/factories.ts";
import { profileSchema } from "./bases.schema.ts";

/** Inserts a recognized base for tests; fields default to a plausible 龙游县 science venue. */
export async function insertBase(ctx: AppContext, over: Partial<NewBase> = {}): Promise<string> {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  const name = over.name ?? `测试${id.slice(-6)}科普教育基地`;
  const unitName = over.unit_name ?? `测试单位${id.slice(-6)}`;
  const address = over.address ?? "衢州市龙游县龙洲街道测试路1号";
  await ctx.db
    .insertInto("bases")
    .values({
      id,
      uscc: makeUscc(),
      name,
      unit_name: unitName,
      region_code: "330825",
      category_code: "science_venue",
      address,
      intro: "面向青少年开放的科普场馆。",
      opening_form: "免费",
      opening_hours: "周二至周日 9:00-17:00",
      open_days: 300,
      area_sqm: 1200,
      booking_phone: "0570-7654321",
      leader_name: "王负责",
      leader_phone: "13812345678",
      contact_name: "李联系",
      contact_phone: "13987654321",
      volunteer_team_name: `${unitName}科技志愿服务队`,
      volunteer_count: 12,
      batch_no: 8,
      recognized_year: 2023,
      recognized_at: "2023-06-01T02:00:00.000Z",
      search_text: `${name} ${unitName} ${address}`.toLowerCase(),
      created_at: now,
      updated_at: now,
      ...over,
    })
    .execute();
  return id;
}

/** A valid 基地资料 form for `updateBaseProfile`, at the base's current `version`. */
export const profileInput = (version: number, over: Record<string, string> = {}) =>
  profileSchema.parse({
    intro: "新的简介",
    openingForm: "免费",
    openingHours: "周二至周日 9:00-17:00",
    openDays: "300",
    bookingPhone: "0570-3027351",
    address: "龙游县龙洲街道",
    version: String(version),
    ...over,
  });
