import { themeCss, themeCssHref } from "~/lib/theme-styles.server";
import type { Route } from "./+types/theme-css";

/** The theme's CSS variables (lib/theme-styles.server.tsx); the version in the URL is the content's hash. */
export function loader({ request }: Route.LoaderArgs) {
  const current = new URL(request.url).search === new URL(themeCssHref, "http://x").search;
  return new Response(themeCss, {
    headers: {
      "Content-Type": "text/css; charset=utf-8",
      // A page from before a restart may ask for an older version: it gets today's, briefly cached.
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=300",
    },
  });
}
