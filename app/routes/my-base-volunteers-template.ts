import { volunteerTemplateXlsx } from "#src/modules/volunteers/volunteers-import.server.ts";
import { toMyBaseWhenMissing } from "~/lib/own-base.server";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-volunteers-template";

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:own");
  const body = await orFail(volunteerTemplateXlsx(context.app, actorOf(context)).catch(toMyBaseWhenMissing));
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="volunteers-template.xlsx"; filename*=UTF-8''${encodeURIComponent("志愿者导入模板.xlsx")}`,
      "Cache-Control": "private, no-store",
    },
  });
}
