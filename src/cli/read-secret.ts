import readline from "node:readline";
import { Writable } from "node:stream";

/**
 * Reads a secret (a password) from standard input, so it never stands on the command line, where
 * other users see it in the process list and the shell keeps it in its history. On a terminal the
 * prompt goes to stderr and the typing is not echoed; from a pipe the first line is taken.
 */
export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!input.isTTY) {
    let text = "";
    for await (const chunk of input) {
      text += chunk.toString("utf8");
      if (text.includes("\n") || text.length > 4096) break;
    }
    return text.split(/\r?\n/)[0] ?? "";
  }
  process.stderr.write(prompt);
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = readline.createInterface({ input, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.once("line", resolve));
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}
