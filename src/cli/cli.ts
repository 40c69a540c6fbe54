import { ROLE_LABELS } from "#src/modules/accounts/accounts.policy.ts";
import { displayWidth, padDisplay } from "./cli-text.ts";
import { CliFailure, parseOptions, UsageError } from "./errors.ts";
import { userCreateOptions, userCreateRequest } from "./user-create.ts";

/** The database commands, loaded only when one runs. */
const dbCommands = () => import("./db-commands.ts");
const auditCommands = () => import("./audit-commands.ts");
const backupCommands = () => import("./backup-commands.ts");

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** Reads a secret from standard input (a password not given as an option). */
  readSecret?(prompt: string): Promise<string>;
}

interface OptionHelp {
  flag: string;
  text: string;
}

interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionHelp[];
  run(args: string[], io: CliIo): Promise<void>;
}

const helpOption = { help: { type: "boolean", short: "h" } } as const;

const COMMANDS: Command[] = [
  {
    name: "migrate",
    summary: "执行数据库迁移，把数据库升级到最新结构",
    usage: "migrate",
    options: [],
    async run(args, io) {
      if (parseOptions("migrate", args, helpOption).help) {
        io.out(commandHelp(this));
        return;
      }
      await (await dbCommands()).runMigrate(io);
    },
  },
  {
    name: "user:create",
    summary: "创建用户账号，例如部署后的第一个系统管理员（会先执行数据库迁移）",
    usage:
      "user:create --role <角色> [--region <区域代码>] (--username <用户名> | --uscc <统一社会信用代码>) [--password <密码>] [--name <名称>] [--phone <电话>] [--must-change]",
    options: [
      {
        flag: "--role <角色>",
        text: `必填。${Object.entries(ROLE_LABELS)
          .map(([r, l]) => `${r} ${l}`)
          .join("，")}`,
      },
      {
        flag: "--region <区域代码>",
        text: "6位行政区划代码。county、org 必填，须为县（市、区），如 330825 龙游县；其余角色默认 330800 衢州市",
      },
      { flag: "--username <用户名>", text: "工作人员（org 以外的角色）的登录名：3至32位，以字母开头" },
      { flag: "--uscc <代码>", text: "申报单位（org）的18位统一社会信用代码，用作登录名" },
      {
        flag: "--password <密码>",
        text: "至少8位，含大写字母、小写字母、数字、符号中的至少三类，不能包含账号，不能是常见密码。省略时从标准输入读取（推荐：密码不会留在命令历史和进程列表中）",
      },
      { flag: "--name <名称>", text: "显示的姓名或单位名称，默认与登录名相同" },
      { flag: "--phone <电话>", text: "联系电话，可不填" },
      { flag: "--must-change", text: "首次登录时必须修改密码" },
    ],
    async run(args, io) {
      const values = parseOptions("user:create", args, userCreateOptions);
      if (values.help) {
        io.out(commandHelp(this));
        return;
      }
      if (values.password === undefined && io.readSecret) {
        values.password = (await io.readSecret("请输入密码（输入时不显示）：")) || undefined;
      }
      const request = userCreateRequest(values);
      await (await dbCommands()).runUserCreate(io, request);
    },
  },
  {
    name: "user:reset-2fa",
    summary: "清除工作人员的双因素认证（验证器与恢复码）并结束其全部会话，例如手机丢失时",
    usage: "user:reset-2fa --username <用户名>",
    options: [{ flag: "--username <用户名>", text: "必填。工作人员的登录名" }],
    async run(args, io) {
      const values = parseOptions("user:reset-2fa", args, {
        username: { type: "string" },
        ...helpOption,
      });
      if (values.help) {
        io.out(commandHelp(this));
        return;
      }
      const username = values.username?.trim();
      if (!username) throw new UsageError("请用 --username 给出工作人员的用户名", "user:reset-2fa");
      await (await dbCommands()).runResetTwoFactor(io, username);
    },
  },
  {
    name: "seed:demo",
    summary: "向空数据库写入演示账号和开放中的第八批申报（仅供体验，生产环境不可用）",
    usage: "seed:demo",
    options: [],
    async run(args, io) {
      if (parseOptions("seed:demo", args, helpOption).help) {
        io.out(commandHelp(this));
        return;
      }
      await (await dbCommands()).runSeedDemo(io);
    },
  },
  {
    name: "audit:verify",
    summary: "核验审计日志的哈希链；断开时指出第一条有问题的记录（退出码 1）",
    usage: "audit:verify",
    options: [],
    async run(args, io) {
      if (parseOptions("audit:verify", args, helpOption).help) {
        io.out(commandHelp(this));
        return;
      }
      await (await auditCommands()).runAuditVerify(io);
    },
  },
  {
    name: "audit:export",
    summary: "把某日之前的审计记录导出为带签名的压缩归档（不删除数据库中的记录）",
    usage: "audit:export --before <日期> --out <文件>",
    options: [
      { flag: "--before <日期>", text: "必填，如 2026-01-01：导出北京时间该日零点之前的记录" },
      {
        flag: "--out <文件>",
        text: "必填，如 audit-2025.jsonl.gz；另写 <文件>.sig（需设置 KEPU_SECRET_KEY）",
      },
    ],
    async run(args, io) {
      const v = parseOptions("audit:export", args, {
        ...helpOption,
        before: { type: "string" },
        out: { type: "string" },
      });
      if (v.help) {
        io.out(commandHelp(this));
        return;
      }
      if (!v.before || !v.out) throw new UsageError("须同时给出 --before 和 --out", "audit:export");
      await (await auditCommands()).runAuditExport(io, { before: v.before, out: v.out });
    },
  },
  {
    name: "backup",
    summary: "在服务运行时备份数据库和全部上传文件到一个新目录（含 manifest.json）",
    usage: "backup --out <目录>",
    options: [{ flag: "--out <目录>", text: "必填，须不存在或为空目录" }],
    async run(args, io) {
      const v = parseOptions("backup", args, { ...helpOption, out: { type: "string" } });
      if (v.help) {
        io.out(commandHelp(this));
        return;
      }
      if (!v.out) throw new UsageError("须给出 --out <目录>", "backup");
      await (await backupCommands()).runBackup(io, { out: v.out });
    },
  },
  {
    name: "restore",
    summary: "从 backup 生成的目录恢复数据库和上传文件（先核验全部哈希）",
    usage: "restore --from <目录> [--force]",
    options: [
      { flag: "--from <目录>", text: "必填，backup 生成的目录" },
      { flag: "--force", text: "目标数据库或文件目录非空时仍然恢复（会清除其中的现有数据）" },
    ],
    async run(args, io) {
      const v = parseOptions("restore", args, {
        ...helpOption,
        from: { type: "string" },
        force: { type: "boolean" },
      });
      if (v.help) {
        io.out(commandHelp(this));
        return;
      }
      if (!v.from) throw new UsageError("须给出 --from <目录>", "restore");
      await (await backupCommands()).runRestore(io, { from: v.from, force: !!v.force });
    },
  },
];

const HELP_COMMAND = { name: "help", summary: "显示帮助；help <命令> 显示该命令的说明" };

function optionLines(options: OptionHelp[]): string[] {
  const width = Math.max(...options.map((o) => displayWidth(o.flag))) + 2;
  return options.map((o) => `  ${padDisplay(o.flag, width)}${o.text}`);
}

function commandHelp(c: Command): string {
  const lines = [`${c.name} — ${c.summary}`, "", `用法：npm run kepu -- ${c.usage}`];
  if (c.options.length) {
    lines.push("", "选项：", ...optionLines(c.options));
  }
  return lines.join("\n");
}

export function mainHelp(): string {
  const all = [...COMMANDS, HELP_COMMAND];
  const width = Math.max(...all.map((c) => c.name.length)) + 2;
  const lines = [
    "kepu — 科普基地服务平台命令行",
    "",
    "用法：npm run kepu -- <命令> [选项]",
    "",
    "命令：",
    ...all.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
  ];
  for (const c of COMMANDS) {
    if (!c.options.length) continue;
    lines.push("", `${c.name} 的选项：`, ...optionLines(c.options));
  }
  lines.push(
    "",
    "每个命令都接受 --help（-h）。",
    "",
    "数据库：与服务器相同。默认是 SQLite 文件 <KEPU_DATA_DIR>/kepu.sqlite（KEPU_DATA_DIR 默认 ./data）；",
    "DATABASE_URL=postgres://… 使用 PostgreSQL，DATABASE_URL=file:<路径> 指定 SQLite 文件。",
    "",
    "退出码：0 成功；1 运行失败（如无法连接数据库、数据库中已有用户）；2 命令或参数有误。",
    "",
    "示例：",
    "  npm run kepu -- migrate",
    "  npm run kepu -- user:create --role admin --username admin --must-change   # 密码从标准输入读取",
    "  npm run kepu -- user:create --role county --region 330825 --username longyou --password 'Kepu-2026!'",
    "  npm run kepu -- user:reset-2fa --username longyou",
    "  npm run kepu -- seed:demo",
    "  npm run kepu -- audit:verify",
    "  npm run kepu -- backup --out /var/backups/kepu/$(date +%F)",
  );
  return lines.join("\n");
}

const commandNames = () => [...COMMANDS.map((c) => c.name), HELP_COMMAND.name].join("、");

async function dispatch(argv: string[], io: CliIo): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "help" || first === "--help" || first === "-h") {
    if (rest.length === 0) return io.out(mainHelp());
    const c = COMMANDS.find((c) => c.name === rest[0]);
    if (!c || rest.length > 1) throw new UsageError(`help 后面只能跟一个命令名：${commandNames()}`);
    return io.out(commandHelp(c));
  }
  if (first.startsWith("-")) {
    throw new UsageError(`请先写命令名，再写选项。可用命令：${commandNames()}`);
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) throw new UsageError(`未知命令“${first}”。可用命令：${commandNames()}`);
  await command.run(rest, io);
}

/** Runs one command line and returns the exit code: 0 success, 1 runtime failure, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    await dispatch(argv, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`错误：${e.lines.length > 1 ? `\n${e.lines.map((l) => `  ${l}`).join("\n")}` : e.message}`);
      io.err(`查看用法：npm run kepu -- help${e.command ? ` ${e.command}` : ""}`);
      return e.exitCode;
    }
    if (e instanceof CliFailure) {
      io.err(`错误：${e.message}`);
      return e.exitCode;
    }
    io.err(`运行失败：${(e as Error)?.message ?? String(e)}`);
    if (io.env.KEPU_DEBUG === "1" && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  }
}
