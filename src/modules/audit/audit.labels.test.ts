import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS, auditTargetText } from "./audit.labels.ts";

const SRC = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Every `action: "x.y"` (including both arms of a ternary) that the code records. */
function recordedActions(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      if (!/\baction: /.test(line)) continue;
      for (const m of line.matchAll(/"([a-z_]+\.[a-z_]+)"/g)) found.set(m[1], path.relative(SRC, file));
    }
  }
  return found;
}

describe("audit action labels", () => {
  it("names in Chinese every action the code records", () => {
    const actions = recordedActions();
    expect(actions.size).toBeGreaterThan(40);
    const unnamed = [...actions].filter(([a]) => !(a in AUDIT_ACTION_LABELS)).map(([a, f]) => `${a} (${f})`);
    expect(unnamed).toEqual([]);
  });
});

describe("auditTargetText", () => {
  it("adds the application number the event recorded", () => {
    expect(
      auditTargetText({
        target_type: "application",
        target_id: "0190-x",
        detail: JSON.stringify({ applicationNo: "2023-第八批-龙游-001", before: {} }),
      }),
    ).toBe("application:0190-x（2023-第八批-龙游-001）");
  });

  it("shows type and id alone without a number, and nothing without a target", () => {
    expect(auditTargetText({ target_type: "call", target_id: "c1", detail: '{"rows":3}' })).toBe("call:c1");
    expect(auditTargetText({ target_type: "application", target_id: "a", detail: '{"applicationNo":' })).toBe(
      "application:a",
    );
    expect(auditTargetText({ target_type: null, target_id: null, detail: null })).toBe("");
  });
});
