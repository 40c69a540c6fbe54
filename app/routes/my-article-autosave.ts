import { articleDraftSchema } from "#src/modules/articles/articles.schema.ts";
import { saveArticleDraft } from "#src/modules/articles/articles.server.ts";
import { autosaveAnswer, autosaveRefused } from "~/lib/autosave.server";
import { actorOf, readForm, requireUser, versionOf } from "~/lib/route.server";
import type { Route } from "./+types/my-article-autosave";

/** The article editor's autosave: a JSON answer with the new version. */
export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "articles:write");
  const fd = await readForm(request);
  const parsed = articleDraftSchema.safeParse(Object.fromEntries(fd));
  if (!parsed.success) return autosaveRefused(parsed.error.issues[0]?.message ?? "内容无效");
  return autosaveAnswer(() =>
    saveArticleDraft(context.app, actorOf(context), params.id, parsed.data, versionOf(fd)),
  );
}
