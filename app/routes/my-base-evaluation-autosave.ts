import { selfAssessmentFromForm } from "#src/modules/evaluation/evaluation.schema.ts";
import { saveSelfAssessment } from "#src/modules/evaluation/evaluation-entries.server.ts";
import { autosaveAnswer, autosaveRefused } from "~/lib/autosave.server";
import { actorOf, readForm, requireUser } from "~/lib/route.server";
import type { Route } from "./+types/my-base-evaluation-autosave";

/** The 自评 draft's autosave: a JSON answer with the new version (see application-autosave.ts). */
export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "bases:own");
  const parsed = selfAssessmentFromForm(await readForm(request));
  if (!parsed.success) return autosaveRefused(parsed.error.issues[0]?.message);
  return autosaveAnswer(async () => {
    const saved = await saveSelfAssessment(context.app, actorOf(context), params.id, parsed.data, false);
    return { version: saved.version, savedAt: saved.updated_at };
  });
}
