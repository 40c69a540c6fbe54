import { data } from "react-router";
import { prepareActivitiesXlsx } from "#src/modules/activities/activities-export.server.ts";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import { streamedDownload } from "~/lib/download.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-activities-export";

/** XLSX of the activities in the user's region (a year or a date range), with the report fields, streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "activities:stats");
  const sp = new URL(request.url).searchParams;
  // Every parameter is checked before the first byte: a failure after the headers can only drop the connection.
  const bad = (message: string) => data(message, { status: 400 });
  const yearRaw = sp.get("year");
  let year: number | undefined;
  if (yearRaw) {
    year = /^\d{4}$/.test(yearRaw) ? Number(yearRaw) : Number.NaN;
    if (!(year >= 2000 && year <= 2100)) throw bad("年份无效，请填写2000至2100之间的年份");
  }
  const dateParam = (key: "from" | "to", label: string) => {
    const v = sp.get(key);
    if (!v) return undefined;
    if (!isIsoDate(v)) throw bad(`${label}无效，格式应为 YYYY-MM-DD`);
    return v;
  };
  const from = dateParam("from", "开始日期") ?? (year ? `${year}-01-01` : undefined);
  const to = dateParam("to", "结束日期") ?? (year ? `${year}-12-31` : undefined);
  if (from && to && to < from) throw bad("结束日期不能早于开始日期");
  const countyRaw = sp.get("county");
  if (countyRaw && !/^\d{6}$/.test(countyRaw)) throw bad("区域代码无效");
  const county = countyRaw || undefined;
  const write = await orFail(prepareActivitiesXlsx(context.app, actorOf(context), { from, to, county }));
  return streamedDownload(write, { kind: "xlsx", asciiName: "activities", name: "基地活动" });
}
