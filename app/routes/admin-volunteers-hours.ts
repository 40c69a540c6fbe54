import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { prepareScopeHoursXlsx } from "#src/modules/volunteers/volunteers-export.server.ts";
import { logger } from "#src/platform/logger.ts";
import { cleanLine } from "#src/platform/text.rules.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-volunteers-hours";

/** Confirmed service hours of every base in the actor's region (?county=, ?year=), streamed; audited. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "volunteers:read");
  const sp = new URL(request.url).searchParams;
  const y = Number(sp.get("year"));
  const county = cleanLine(sp.get("county") ?? "").slice(0, 20) || undefined;
  const filter = { ...(Number.isInteger(y) && y >= 2000 && y <= 2100 ? { year: y } : {}), county };
  const write = await orFail(prepareScopeHoursXlsx(context.app, actorOf(context), filter));
  const body = new PassThrough();
  // A client that goes away closes `body`; its error must not go uncaught (see download.server.ts).
  body.on("error", () => {});
  write(body).catch((err) => {
    logger.error({ err }, "volunteer hours export failed");
    if (!body.destroyed) body.destroy(err);
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="volunteer-hours-${date}.xlsx"; filename*=UTF-8''${encodeURIComponent(`志愿服务时长-${date}.xlsx`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
