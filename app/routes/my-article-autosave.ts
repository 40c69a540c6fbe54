import { articleDraftSchema } from "#src/modules/articles/articles.schema.ts";
import { saveArticleDraft } from "#src/modules/articles/articles.server.ts";
import { formatShanghai } from "#src/platform/clock.ts";
import { isAppError } from "#src/platform/errors.ts";
import { actorOf, readForm, requireUser, versionOf } from "~/lib/route.server";
import type { Route } from "./+types/my-article-autosave";

/** The article editor's autosave: a JSON answer with the new version. */
export async function action({ request, params, context }: Route.ActionArgs) {
  await requireUser(context, request, "articles:write");
  const fd = await readForm(request);
  const headers = { "Cache-Control": "no-store" };
  const parsed = articleDraftSchema.safeParse(Object.fromEntries(fd));
  if (!parsed.success)
    return Response.json(
      { ok: false, message: parsed.error.issues[0]?.message ?? "内容无效" },
      { status: 422, headers },
    );
  try {
    const saved = await saveArticleDraft(
      context.app,
      actorOf(context),
      params.id,
      parsed.data,
      versionOf(fd),
    );
    return Response.json(
      { ok: true, version: saved.version, savedAt: formatShanghai(saved.savedAt) },
      { headers },
    );
  } catch (e) {
    if (isAppError(e)) return Response.json({ ok: false, message: e.message }, { status: e.status, headers });
    throw e;
  }
}
