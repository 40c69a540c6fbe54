import { ROLE_LABELS, requiredRegionLevel } from "#src/modules/accounts/accounts.policy.ts";
import { type CreateUserInput, createUserSchema } from "#src/modules/accounts/accounts.schema.ts";
import { normalizeUscc } from "#src/modules/accounts/uscc.rules.ts";
import { REGIONS } from "#src/platform/db/reference-data.ts";
import type { Role } from "#src/platform/db/schema.ts";
import { UsageError } from "./errors.ts";

export const ROLES = Object.keys(ROLE_LABELS) as Role[];
export const CITY_REGION = "330800";

export const userCreateOptions = {
  role: { type: "string" },
  region: { type: "string" },
  username: { type: "string" },
  uscc: { type: "string" },
  password: { type: "string" },
  name: { type: "string" },
  phone: { type: "string" },
  "must-change": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export type UserCreateValues = {
  [K in keyof typeof userCreateOptions]?: (typeof userCreateOptions)[K]["type"] extends "boolean"
    ? boolean
    : string;
};

/** Which option each field of `createUserSchema` (and of the module's field errors) comes from. */
export const OPTION_OF: Record<string, string> = {
  role: "--role",
  regionCode: "--region",
  username: "--username",
  uscc: "--uscc",
  password: "--password",
  displayName: "--name",
  phone: "--phone",
};

const roleList = () => ROLES.map((r) => `${r}（${ROLE_LABELS[r]}）`).join("、");
const countyList = () =>
  REGIONS.filter((r) => r.level === "county")
    .map((r) => `${r.code} ${r.name}`)
    .join("、");

export interface UserCreateRequest {
  input: CreateUserInput;
  mustChangePassword: boolean;
}

/**
 * Turns the parsed options into the input of `createUserFromCli`, or throws a UsageError
 * listing every problem, one line per option. Needs no database.
 */
export function userCreateRequest(v: UserCreateValues): UserCreateRequest {
  const problems = new Map<string, string>();
  const add = (option: string, message: string) => {
    if (!problems.has(option)) problems.set(option, message);
  };

  const role = v.role?.trim();
  if (!role) add("--role", `请指定角色，可选：${roleList()}`);
  else if (!ROLES.includes(role as Role)) add("--role", `未知角色“${role}”，可选：${roleList()}`);
  const knownRole = role && ROLES.includes(role as Role) ? (role as Role) : undefined;

  if (v.username !== undefined && v.uscc !== undefined) {
    add("--username", "与 --uscc 只能给一个：申报单位（org）用 --uscc，工作人员用 --username");
  } else if (knownRole === "org") {
    if (v.username !== undefined) add("--username", "申报单位（org）以统一社会信用代码登录，请改用 --uscc");
    else if (v.uscc === undefined) add("--uscc", "申报单位（org）账号须用 --uscc 给出18位统一社会信用代码");
  } else if (knownRole) {
    if (v.uscc !== undefined) add("--uscc", `工作人员账号（${knownRole}）以用户名登录，请改用 --username`);
    else if (v.username === undefined)
      add("--username", `工作人员账号（${knownRole}）须用 --username 给出用户名`);
  }

  if (v.password === undefined) {
    add(
      "--password",
      "请设置密码（从标准输入输入，或用 --password）：至少8位，含大写字母、小写字母、数字、符号中的至少三类",
    );
  }

  let regionCode = v.region?.trim();
  if (!regionCode && knownRole) {
    if (requiredRegionLevel(knownRole) === "county") {
      add("--region", `${knownRole} 角色须用 --region 指定所在县（市、区）代码：${countyList()}`);
    } else {
      regionCode = CITY_REGION;
    }
  }

  const order = Object.values(OPTION_OF);
  const fail = () =>
    new UsageError(
      [...problems]
        .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
        .map(([option, message]) => `${option}: ${message}`),
      "user:create",
    );
  // Without a known role the login options cannot be judged; report what is known so far.
  if (!knownRole) throw fail();

  const login = knownRole === "org" ? normalizeUscc(v.uscc ?? "") : (v.username ?? "").trim().toLowerCase();
  const parsed = createUserSchema.safeParse({
    role: knownRole,
    username: v.username,
    uscc: v.uscc,
    displayName: v.name ?? (login || "-"),
    phone: v.phone,
    regionCode: regionCode ?? CITY_REGION,
    password: v.password ?? "",
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      // A misused login option is reported once, not again as an invalid username or USCC.
      const loginField = field === "username" || field === "uscc";
      if (loginField && (problems.has("--username") || problems.has("--uscc"))) continue;
      const message =
        field === "regionCode" ? "区域代码应为6位数字（GB/T 2260 行政区划代码），如 330825" : issue.message;
      add(OPTION_OF[field] ?? field, message);
    }
  }
  if (problems.size > 0 || !parsed.success) throw fail();
  return { input: parsed.data, mustChangePassword: v["must-change"] === true };
}
