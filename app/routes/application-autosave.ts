import { draftFromForm } from "#src/modules/applications/applications.schema.ts";
import { saveDraft } from "#src/modules/applications/applications.server.ts";
import { autosaveAnswer } from "~/lib/autosave.server";
import { actorOf, readForm, requireUser, versionOf } from "~/lib/route.server";
import type { Route } from "./+types/application-autosave";

/**
 * The 附件2 form's autosave. A JSON answer to a plain fetch, so the page learns the new version
 * when the request settles, not when React happens to render the fetcher's state: a 保存/提交
 * pressed meanwhile waits for exactly this answer.
 */
export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "applications:apply");
  const fd = await readForm(request);
  return autosaveAnswer(() =>
    saveDraft(context.app, actorOf(context), params.id, draftFromForm(fd), versionOf(fd)),
  );
}
