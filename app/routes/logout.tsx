import { redirect } from "react-router";
import { recordAudit } from "#src/modules/audit/audit.server.ts";
import { deleteSession } from "#src/platform/auth/session.server.ts";
import { clearSessionCookie } from "~/lib/login.server";
import { actorOf } from "~/lib/route.server";
import type { Route } from "./+types/logout";

export async function action({ context }: Route.ActionArgs) {
  if (context.user)
    await recordAudit(context.app, context.app.db, actorOf(context), { action: "auth.logout" });
  await deleteSession(context.app, context.sessionToken);
  return redirect("/", { headers: { "Set-Cookie": clearSessionCookie(context.app.config.production) } });
}

export function loader() {
  return redirect("/");
}
