import { reportSchema } from "#src/modules/dynamic-management/dynamic-management.schema.ts";
import { saveReport } from "#src/modules/dynamic-management/dynamic-management.server.ts";
import { autosaveAnswer, autosaveRefused } from "~/lib/autosave.server";
import { actorOf, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-rectification-autosave";

/** The 整改报告 draft's autosave: a JSON answer with the new version (see application-autosave.ts). */
export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  const parsed = reportSchema.safeParse({
    reportText: fd.get("reportText") ?? "",
    version: fd.get("version"),
  });
  if (!parsed.success) return autosaveRefused(parsed.error.issues[0]?.message);
  return autosaveAnswer(async () => {
    const saved = await saveReport(context.app, actorOf(context), params.id, parsed.data, false);
    return { version: saved.version, savedAt: saved.updated_at };
  });
}
