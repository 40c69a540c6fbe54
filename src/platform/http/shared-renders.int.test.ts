import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

describe("render broker over cluster IPC", () => {
  it("has one worker render, hands the exact bytes to the other, and tells both when renders run", async () => {
    const fixture = path.join(import.meta.dirname, "shared-renders.fixture.ts");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", fixture], {
      timeout: 30_000,
    });
    const outcomes = JSON.parse(stdout.trim().split("\n").at(-1) ?? "[]");
    expect(outcomes).toHaveLength(2);
    // The renderer heard that a render started, then that none was left.
    expect(outcomes).toContainEqual({ rendered: true, heard: [true, false] });
    expect(outcomes).toContainEqual({
      rendered: false,
      same: true,
      typed: true,
      headers: [["content-type", "text/html"]],
      parts: 2,
      lastHeard: false,
    });
  });
});
