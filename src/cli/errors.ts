import { type ParseArgsConfig, parseArgs } from "node:util";

/** The command line itself is wrong: unknown command or option, a missing or invalid value. Exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  /** One line per problem, each naming the option it is about. */
  readonly lines: string[];
  /** The command whose help the message points to. */
  readonly command?: string;

  constructor(lines: string | string[], command?: string) {
    const list = Array.isArray(lines) ? lines : [lines];
    super(list.join("\n"));
    this.name = "UsageError";
    this.lines = list;
    this.command = command;
  }
}

/** The command was understood but could not be carried out. Exit 1. */
export class CliFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = "CliFailure";
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** `parseArgs` in strict mode, with its English errors turned into Chinese usage errors. */
export function parseOptions<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(translateParseError(e, command, Object.keys(options)), command);
  }
}

function translateParseError(e: unknown, command: string, known: string[]): string {
  const err = e as { code?: string; message?: string };
  const message = err.message ?? String(e);
  const option = /(--[\w:-]+)/.exec(message)?.[1] ?? /'(-[^'\s,]+)/.exec(message)?.[1] ?? "";
  const available = known.map((k) => `--${k}`).join(" ");
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `未知选项 ${option}。${command} 可用的选项：${available}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const arg = /'([^']*)'/.exec(message)?.[1] ?? "";
      return `多余的参数“${arg}”：${command} 只接受选项（形如 --名称 值）。取值含空格时请加引号`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (message.includes("does not take an argument")) return `${option} 是开关选项，不带取值`;
      return `${option} 缺少取值（取值以“-”开头时请写成 ${option}=取值）`;
    default:
      return message;
  }
}
