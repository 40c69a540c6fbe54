import { USCC_ALPHABET, usccCheckChar } from "#src/modules/accounts/uscc.rules.ts";
import { insertBase } from "#src/modules/bases/bases-import.server.ts";
import { hashPassword } from "#src/platform/auth/password.server.ts";
import type { AppContext, SessionUser } from "#src/platform/context.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { AppError } from "#src/platform/errors.ts";
import { newId } from "#src/platform/ids.ts";

export const TEST_PASSWORD = "Kepu-test-2026";
let hashed: Promise<string> | undefined;
let seq = 0;

/** A valid USCC that no other factory call returns in this process. */
export function makeUscc(prefix = "91330800"): string {
  seq += 1;
  let n = seq + process.pid * 1000;
  let tail = "";
  for (let i = 0; i < 9; i++) {
    tail = USCC_ALPHABET[n % 31] + tail;
    n = Math.floor(n / 31);
  }
  const body = `${prefix}${tail}`;
  return body + usccCheckChar(body);
}

export interface MadeUser extends SessionUser {
  password: string;
}

export async function createUserRecord(
  ctx: AppContext,
  opts: {
    role: Role;
    regionCode?: string;
    mustChangePassword?: boolean;
    disabled?: boolean;
    login?: string;
    /** For an org: false leaves it unverified, like a fresh self-registration (default: verified). */
    verified?: boolean;
  },
): Promise<MadeUser> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  const unit = opts.role === "org" || opts.role === "school";
  const regionCode = opts.regionCode ?? (unit || opts.role === "county" ? "330825" : "330800");
  const login =
    opts.login ??
    (opts.role === "org"
      ? makeUscc()
      : opts.role === "school"
        ? makeUscc("12330800")
        : `${opts.role}_${id.slice(-8)}`);
  const now = ctx.clock.now().toISOString();
  await ctx.db
    .insertInto("users")
    .values({
      id,
      role: opts.role,
      username: unit ? null : login,
      uscc: unit ? login : null,
      display_name:
        opts.role === "org"
          ? `测试单位${id.slice(-6)}`
          : opts.role === "school"
            ? `测试学校${id.slice(-6)}`
            : `测试${opts.role}`,
      contact_name: null,
      phone: "13800000000",
      region_code: regionCode,
      password_hash: await hashed,
      must_change_password: opts.mustChangePassword ? 1 : 0,
      disabled_at: opts.disabled ? now : null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (opts.role === "school")
    await ctx.db
      .insertInto("school_profiles")
      .values({
        user_id: id,
        stages: JSON.stringify(["小学"]),
        address: "测试路1号",
        created_at: now,
        updated_at: now,
      })
      .execute();
  if (unit && opts.verified !== false) {
    await ctx.db
      .insertInto("org_verifications")
      .values({
        user_id: id,
        status: "verified",
        via: "staff",
        created_at: now,
        updated_at: now,
        decided_at: now,
      })
      .execute();
  }
  return {
    id,
    role: opts.role,
    displayName: "",
    login,
    regionCode,
    mustChangePassword: !!opts.mustChangePassword,
    password: TEST_PASSWORD,
  };
}

export const actorOf = (user: SessionUser | null, ip = "127.0.0.1") => ({ user, ip });

/** The AppError a use case rejected with; fails the test if it resolved or threw something else. */
export async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

/** Links an org account to a base, as naming, a verification or a claim code would. */
export async function linkBase(ctx: AppContext, baseId: string, userId: string): Promise<void> {
  await ctx.db
    .insertInto("base_accounts")
    .values({
      base_id: baseId,
      user_id: userId,
      via: "application",
      created_by: null,
      created_at: ctx.clock.now().toISOString(),
    })
    .execute();
}

/**
 * A recognized base named `<unit>科普教育基地` of `org` in `region`, linked to the org's account, as the
 * import writes it; `extra` overrides any column (year, status, category).
 */
export async function createLinkedBase(
  ctx: AppContext,
  org: MadeUser,
  region: string,
  unit: string,
  extra: Partial<Parameters<typeof insertBase>[1]> = {},
): Promise<string> {
  const id = await insertBase(
    ctx.db,
    {
      uscc: org.login,
      org_id: org.id,
      name: `${unit}科普教育基地`,
      unit_name: unit,
      region_code: region,
      category_code: "science_venue",
      recognized_year: 2020,
      ...extra,
    },
    ctx.clock.now().toISOString(),
  );
  await linkBase(ctx, id, org.id);
  return id;
}
