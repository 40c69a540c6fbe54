import { prepareScopeHoursXlsx } from "#src/modules/volunteers/volunteers-export.server.ts";
import { cleanLine } from "#src/platform/text.rules.ts";
import { streamedDownload } from "~/lib/download.server";
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
  return streamedDownload(write, { kind: "xlsx", asciiName: "volunteer-hours", name: "志愿服务时长" });
}
