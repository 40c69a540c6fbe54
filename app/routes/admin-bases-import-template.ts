import { importTemplateXlsx } from "#src/modules/bases/bases-import.server.ts";
import { actorOf, orFail, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/admin-bases-import-template";

/** The import template (XLSX): the columns the importer reads and a sheet of allowed values. */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(context, request, "bases:import");
  const buf = await orFail(importTemplateXlsx(context.app, actorOf(context)));
  return new Response(new Uint8Array(buf), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="bases-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent("科普教育基地导入模板.xlsx")}`,
      "Cache-Control": "private, no-store",
    },
  });
}
