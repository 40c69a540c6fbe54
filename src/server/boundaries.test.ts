import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layers hold: src/platform knows no feature and not the composition root (src/server) that
 * plugs the features in; routes call use cases and never query the database themselves.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Every source file under `dir` (repository-relative), tests and fixtures included. */
function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|tsx|mts|js|mjs)$/.test(f))
    .map((f) => path.posix.join(dir, f.split(path.sep).join("/")))
    .sort();
}

/** The repository-relative target of a specifier written in `file`; null for a package. */
function importTarget(file: string, specifier: string): string | null {
  if (specifier.startsWith("#src/")) return path.posix.join("src", specifier.slice("#src/".length));
  if (specifier.startsWith("~/")) return path.posix.join("app", specifier.slice(2));
  if (specifier.startsWith(".")) return path.posix.join(path.posix.dirname(file), specifier);
  return null;
}

/**
 * The imports of `source` (static, type-only, re-exports, `import()`, `require`) whose target lies
 * under one of `forbidden` (repository-relative folders).
 */
function forbiddenImports(file: string, source: string, forbidden: readonly string[]): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => {
      const target = importTarget(file, spec);
      return target !== null && forbidden.some((dir) => target === dir || target.startsWith(`${dir}/`));
    });
}

/** Database access written in a route: the handle, or a query builder call. */
const QUERY =
  /\bctx\.db\b|\bcontext\.app\.db\b|\.db\.(?:selectFrom|insertInto|updateTable|deleteFrom|transaction)\b|\.(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql`/;

function directQueries(source: string): string[] {
  return source
    .split("\n")
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => !line.startsWith("//") && !line.startsWith("*") && QUERY.test(line))
    .map(({ line, n }) => `${n}: ${line}`);
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("layer boundaries", () => {
  it("src/platform imports nothing from src/modules, src/server or app", () => {
    const files = sourceFiles("src/platform");
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) =>
      forbiddenImports(file, read(file), ["src/modules", "src/server", "app"]).map((s) => `${file}: ${s}`),
    );
    expect(found).toEqual([]);
  });

  it("src/modules does not import the composition root", () => {
    const found = sourceFiles("src/modules").flatMap((file) =>
      forbiddenImports(file, read(file), ["src/server"]).map((s) => `${file}: ${s}`),
    );
    expect(found).toEqual([]);
  });

  it("routes query the database only through use cases", () => {
    const files = sourceFiles("app/routes");
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => directQueries(read(file)).map((l) => `${file}:${l}`));
    expect(found).toEqual([]);
  });
});

describe("the checks themselves", () => {
  const file = "src/platform/http/example.ts";

  it("finds every kind of import into a forbidden folder, by alias or relative path", () => {
    const source = [
      'import type { A } from "#src/modules/audit/audit.server.ts";',
      'import { b } from "../../modules/files/owners.ts";',
      'export { c } from "../../server/app.server.ts";',
      'const d = await import("#src/modules/demo/seed-demo.server.ts");',
      'import { e } from "~/lib/route.server";',
      'import { ok } from "../clock.ts";',
      'import { also } from "#src/platform/ids.ts";',
      'import express from "express";',
      '// import { commented } from "#src/modules/x.ts";',
      "const text = \"import x from '#src/modules/y.ts'\";",
    ].join("\n");
    expect(forbiddenImports(file, source, ["src/modules", "src/server", "app"])).toEqual([
      "#src/modules/audit/audit.server.ts",
      "../../modules/files/owners.ts",
      "../../server/app.server.ts",
      "#src/modules/demo/seed-demo.server.ts",
      "~/lib/route.server",
    ]);
  });

  it("does not take a folder that only starts with the same name for the forbidden one", () => {
    expect(forbiddenImports(file, 'import { x } from "#src/modules-extra/x.ts";', ["src/modules"])).toEqual(
      [],
    );
    expect(
      forbiddenImports("src/platform/a.ts", 'import { x } from "./modules/x.ts";', ["src/modules"]),
    ).toEqual([]);
  });

  it("finds queries written in a route, and lets use-case calls pass", () => {
    const route = [
      "export async function loader({ context }) {",
      '  const a = await context.app.db.selectFrom("bases").selectAll().execute();',
      '  const b = await ctx.db.selectFrom("bases").execute();',
      '  const c = await trx.updateTable("bases").set({ name: "x" }).execute();',
      "  const d = await loadExtraDays(context.app.db);",
      "  const e = await sql`select 1`.execute(db);",
      "  const ok = await listBases(context.app, actorOf(context), input);",
      "  // context.app.db in a comment is prose",
      "}",
    ].join("\n");
    expect(directQueries(route).map((l) => Number(l.split(":")[0]))).toEqual([2, 3, 4, 5, 6]);
  });
});
