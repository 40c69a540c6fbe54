import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

describe("render broker over cluster IPC", () => {
  it("has one worker render and hands the exact bytes to the other", async () => {
    const fixture = path.join(import.meta.dirname, "shared-renders.fixture.ts");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", fixture], {
      timeout: 30_000,
    });
    const outcomes = JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]");
    expect(outcomes).toHaveLength(2);
    expect(outcomes).toContainEqual({ rendered: true });
    expect(outcomes).toContainEqual({
      rendered: false,
      same: true,
      typed: true,
      headers: [["content-type", "text/html"]],
      parts: 2,
    });
  });
});
