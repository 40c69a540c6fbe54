import { reportSchema } from "#src/modules/dynamic-management/dynamic-management.schema.ts";
import { saveReport } from "#src/modules/dynamic-management/dynamic-management.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { isAppError } from "#src/platform/errors.ts";
import { actorOf, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-rectification-autosave";

/** The 整改报告 draft's autosave: a JSON answer with the new version (see application-autosave.ts). */
export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const fd = await readForm(request);
  const headers = { "Cache-Control": "no-store" };
  const parsed = reportSchema.safeParse({
    reportText: fd.get("reportText") ?? "",
    version: fd.get("version"),
  });
  if (!parsed.success)
    return Response.json(
      { ok: false, message: parsed.error.issues[0]?.message ?? "无法保存" },
      { status: 422, headers },
    );
  try {
    const saved = await saveReport(context.app, actorOf(context), params.id, parsed.data, false);
    return Response.json(
      { ok: true, version: saved.version, savedAt: formatShanghai(saved.updated_at) },
      { headers },
    );
  } catch (e) {
    if (isAppError(e)) return Response.json({ ok: false, message: e.message }, { status: e.status, headers });
    throw e;
  }
}
