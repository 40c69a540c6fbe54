import { redirect } from "react-router";
import { ELDER_MODE_COOKIE, serializeCookie } from "#src/platform/http/cookies.ts";
import { safeRedirect } from "~/lib/route.server";
import type { Route } from "./+types/elder-mode";

const YEAR = 365 * 24 * 3600;

/**
 * 【长辈模式】 in the header: remembered per browser in a cookie the server reads, so every page
 * (cached anonymous pages too, keyed on it) is rendered large from its first paint. A plain form
 * post, so it works before the scripts load.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const on = form.get("on") === "1";
  const cookie = serializeCookie(ELDER_MODE_COOKIE, on ? "1" : "", {
    secure: context.app.config.production,
    maxAgeSeconds: on ? YEAR : 0,
  });
  return redirect(safeRedirect(form.get("back"), "/"), { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
