/**
 * The commands that touch the database. `cli.ts` imports this module only when such a
 * command runs, so help and usage errors start without loading the drivers.
 */
import { ROLE_LABELS, requiredRegionLevel } from "#src/modules/accounts/accounts.policy.ts";
import type { CreateUserInput } from "#src/modules/accounts/accounts.schema.ts";
import { createUserFromCli } from "#src/modules/accounts/accounts.server.ts";
import { resetTwoFactorFromCli } from "#src/modules/accounts/two-factor.server.ts";
import {
  DEMO_PASSWORD,
  demoClaimCodeLine,
  demoTwoFactorNote,
  hasDemoData,
  seedDemo,
} from "#src/modules/demo/seed-demo.server.ts";
import { listRegions, regionName } from "#src/modules/regions/regions.server.ts";
import type { AppContext } from "#src/platform/context.ts";
import { isAppError } from "#src/platform/errors.ts";
import type { CliIo } from "./cli.ts";
import { displayWidth } from "./cli-text.ts";
import { loadCliConfig, withDatabase } from "./database.ts";
import { CliFailure, UsageError } from "./errors.ts";
import { OPTION_OF, type UserCreateRequest } from "./user-create.ts";

export async function runMigrate(io: CliIo): Promise<void> {
  await withDatabase(loadCliConfig(io.env), async ({ where, applied }) => {
    io.out(`数据库：${where}`);
    if (applied.length === 0) io.out("数据库已是最新，没有需要执行的迁移。");
    else io.out(`已执行 ${applied.length} 个迁移：\n${applied.map((m) => `  ${m}`).join("\n")}`);
  });
}

export async function runUserCreate(io: CliIo, request: UserCreateRequest): Promise<void> {
  await withDatabase(loadCliConfig(io.env), async ({ ctx, where, applied }) => {
    if (applied.length) io.out(`已执行迁移：${applied.join("，")}`);
    const user = await createUser(ctx, request);
    io.out(
      [
        `已创建用户（数据库：${where}）：`,
        `  角色：${ROLE_LABELS[user.role]}（${user.role}）`,
        `  ${user.role === "org" ? "统一社会信用代码" : "用户名"}：${(user.username ?? user.uscc)!}`,
        `  名称：${user.display_name}`,
        `  所属区域：${await regionName(ctx, user.region_code)}（${user.region_code}）`,
        `  首次登录须修改密码：${user.must_change_password === 1 ? "是" : "否"}`,
        `登录入口：${user.role === "org" ? "法人登录" : "工作人员登录"}`,
      ].join("\n"),
    );
  });
}

/**
 * Creates the user. The module's field errors (a region of the wrong level, a password
 * containing the login, a login already taken) become a UsageError naming the option.
 */
async function createUser(ctx: AppContext, req: UserCreateRequest) {
  try {
    return await createUserFromCli(ctx, req.input, { mustChangePassword: req.mustChangePassword });
  } catch (e) {
    if (!isAppError(e) || e.code !== "VALIDATION") throw e;
    const fields = Object.entries(e.fieldErrors ?? {});
    if (fields.length === 0) throw new UsageError(e.message, "user:create");
    const lines: string[] = [];
    for (const [field, message] of fields) {
      if (field === "regionCode") lines.push(await regionProblem(ctx, req.input));
      else lines.push(`${OPTION_OF[field] ?? field}: ${message}`);
    }
    throw new UsageError(lines, "user:create");
  }
}

async function regionProblem(ctx: AppContext, input: CreateUserInput): Promise<string> {
  const level = requiredRegionLevel(input.role);
  const choices = (await listRegions(ctx)).filter((r) => r.level === level);
  const kind = level === "county" ? "县（市、区）" : "市级区域";
  const list = choices.map((r) => `${r.code} ${r.name}`).join("、");
  return `--region: ${input.regionCode} 不是 ${input.role} 角色可用的${kind}代码，可选：${list}`;
}

export async function runResetTwoFactor(io: CliIo, username: string): Promise<void> {
  await withDatabase(loadCliConfig(io.env), async ({ ctx, where }) => {
    let result: Awaited<ReturnType<typeof resetTwoFactorFromCli>>;
    try {
      result = await resetTwoFactorFromCli(ctx, username);
    } catch (e) {
      if (isAppError(e) && e.code === "NOT_FOUND") throw new CliFailure(`${e.message}（数据库：${where}）`);
      throw e;
    }
    const login = result.user.username;
    io.out(
      result.hadFactor
        ? `已清除 ${login} 的双因素认证和恢复码，并结束其全部会话（数据库：${where}）。`
        : `${login} 未设置双因素认证；已结束其全部会话（数据库：${where}）。`,
    );
    io.out("如其角色要求双因素认证，下次登录时将重新设置。");
  });
}

export async function runSeedDemo(io: CliIo): Promise<void> {
  const config = loadCliConfig(io.env);
  if (config.production) {
    throw new CliFailure(
      "生产环境（KEPU_PRODUCTION=1 或 NODE_ENV=production）不能写入演示数据：演示账号的密码是公开的。",
    );
  }
  await withDatabase(config, async ({ ctx, where }) => {
    if (await hasDemoData(ctx)) {
      throw new CliFailure(`数据库中已有演示数据，无需再次写入（数据库：${where}）。`);
    }
    const { n } = await ctx.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    if (Number(n) > 0) {
      throw new CliFailure(
        `数据库中已有 ${Number(n)} 个用户，演示数据只能写入空数据库（数据库：${where}）。` +
          "如需体验，请把 KEPU_DATA_DIR 或 DATABASE_URL 指向一个新的数据库。",
      );
    }
    const accounts = await seedDemo(ctx);
    io.out(`已写入演示数据（数据库：${where}）。演示数据仅供体验，切勿用于生产。`);
    io.out(`演示账号，密码均为 ${DEMO_PASSWORD}：`);
    for (const a of accounts) {
      const kind = a.kind === "org" ? "法人登录" : "工作人员登录";
      const pad = " ".repeat(14 - displayWidth(kind));
      io.out(`  ${kind}${pad}${a.role.padEnd(10)}${a.login.padEnd(20)} ${a.name}`);
    }
    const claim = await demoClaimCodeLine(ctx);
    if (claim) io.out(`  ${claim}`);
    io.out(`  ${demoTwoFactorNote()}`);
  });
}
