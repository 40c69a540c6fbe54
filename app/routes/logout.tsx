import { redirect } from "react-router";
import { logOut } from "#src/modules/accounts/accounts.server.ts";
import { clearSessionCookie } from "~/lib/login.server";
import { actorOf } from "~/lib/route.server";
import type { Route } from "./+types/logout";

export async function action({ context }: Route.ActionArgs) {
  await logOut(context.app, actorOf(context), context.sessionToken);
  return redirect("/", { headers: { "Set-Cookie": clearSessionCookie(context.app.config.production) } });
}

export function loader() {
  return redirect("/");
}
