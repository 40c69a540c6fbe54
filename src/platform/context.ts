import type { Clock } from "./clock.ts";
import type { Config, Engine } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Role } from "./db/schema.ts";

/** What every use case receives: the database and the services around it. */
export interface AppContext {
  db: Database;
  engine: Engine;
  clock: Clock;
  config: Config;
}

/** The signed-in user as the session knows it. */
export interface SessionUser {
  id: string;
  role: Role;
  displayName: string;
  /** Username for staff, USCC for organizations. */
  login: string;
  regionCode: string;
  mustChangePassword: boolean;
  /** The session figures read with this sign-in (SessionFigure), by name; absent when none were asked for. */
  figures?: Readonly<Record<string, number>>;
}

/** Who is acting, for authorization and the audit log. */
export interface Actor {
  user: SessionUser | null;
  ip: string | null;
}

export const anonymous = (ip: string | null = null): Actor => ({ user: null, ip });

export function nowIso(ctx: Pick<AppContext, "clock">): string {
  return ctx.clock.now().toISOString();
}
