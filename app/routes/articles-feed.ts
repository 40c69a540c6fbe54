import { articlesAtom } from "#src/modules/articles/articles-feed.server.ts";
import type { Route } from "./+types/articles-feed";

/** The Atom feed of the published articles. */
export async function loader({ context }: Route.LoaderArgs) {
  return new Response(await articlesAtom(context.app), {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    },
  });
}
