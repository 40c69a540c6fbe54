import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { prepareActivitiesXlsx } from "#src/modules/activities/activities-export.server.ts";
import { isIsoDate } from "#src/modules/bases/bases.rules.ts";
import { logger } from "#src/platform/logger.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-activities-export";

/** XLSX of the activities in the user's region (a year or a date range), with the report fields, streamed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "activities:stats");
  const sp = new URL(request.url).searchParams;
  const year = Number(sp.get("year"));
  const from = isIsoDate(sp.get("from") ?? "")
    ? (sp.get("from") as string)
    : Number.isInteger(year) && year > 2000
      ? `${year}-01-01`
      : undefined;
  const to = isIsoDate(sp.get("to") ?? "")
    ? (sp.get("to") as string)
    : Number.isInteger(year) && year > 2000
      ? `${year}-12-31`
      : undefined;
  const county = /^\d{6}$/.test(sp.get("county") ?? "") ? (sp.get("county") as string) : undefined;
  const write = await orFail(prepareActivitiesXlsx(context.app, actorOf(context), { from, to, county }));
  const body = new PassThrough();
  write(body).catch((err) => {
    logger.error({ err }, "xlsx export failed");
    body.destroy(err);
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="activities-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`基地活动-${date}.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
