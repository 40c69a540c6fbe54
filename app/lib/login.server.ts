import { type AppLoadContext, redirect } from "react-router";
import { orgLoginSchema, staffLoginSchema } from "#src/modules/accounts/accounts.schema.ts";
import { logIn } from "#src/modules/accounts/accounts.server.ts";
import { deleteSession, SESSION_ABSOLUTE_MS, sessionCookieName } from "#src/platform/auth/session.server.ts";
import { serializeCookie } from "#src/platform/http/cookies.ts";
import { actorOf, failWith, invalid, parseForm, readForm, safeRedirect } from "./route.server";

export async function loginAction(kind: "org" | "staff", request: Request, context: AppLoadContext) {
  const fd = await readForm(request);
  const parsed = parseForm(kind === "org" ? orgLoginSchema : staffLoginSchema, fd);
  if (!parsed.ok) return invalid(parsed.failure);
  const login = "uscc" in parsed.data ? parsed.data.uscc : parsed.data.username;
  try {
    const { user, token, pending } = await logIn(context.app, actorOf(context), {
      kind,
      login,
      password: parsed.data.password,
      userAgent: request.headers.get("user-agent"),
    });
    // Replace any session this browser had: a new ID at every login.
    await deleteSession(context.app, context.sessionToken);
    const production = context.app.config.production;
    const cookie = serializeCookie(sessionCookieName(production), token, {
      secure: production,
      maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000,
    });
    const next = safeRedirect(fd.get("redirectTo"));
    // The password alone is not a sign-in for a user with a second factor.
    const to = pending
      ? `/login/two-factor?redirectTo=${encodeURIComponent(next)}`
      : user.mustChangePassword
        ? "/account/password"
        : next;
    return redirect(to, { headers: { "Set-Cookie": cookie } });
  } catch (e) {
    return failWith(e, fd);
  }
}

export function clearSessionCookie(production: boolean): string {
  return serializeCookie(sessionCookieName(production), "", { secure: production, maxAgeSeconds: 0 });
}
