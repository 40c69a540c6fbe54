/**
 * The `kepu` command line: `npm run kepu -- <命令> [选项]`. Run `npm run kepu -- help` for the commands.
 * Exit codes: 0 success, 1 runtime failure, 2 usage error.
 */
import { runCli } from "./cli.ts";
import { readSecret } from "./read-secret.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readSecret: (prompt) => readSecret(prompt),
});
