import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { RouteObject } from "react-router";
import * as cjs from "react-router";
import { describe, expect, it } from "vitest";

/**
 * patches/react-router+*.patch (ADR 0017): the server builds its route objects once per build and
 * remembers which route a path matched. These tests fail if the patch is not applied (an install
 * that skipped `postinstall`), and check that remembered matches are the same as fresh ones. The
 * server imports the ES module build, the tests' own imports get the CommonJS one: both are checked.
 */
type ReactRouter = Pick<typeof cjs, "createStaticHandler" | "createStaticRouter">;
const esmEntry = path.join(
  path.dirname(createRequire(import.meta.url).resolve("react-router/package.json")),
  "dist/development/index.mjs",
);
const builds: Array<[string, () => Promise<ReactRouter>]> = [
  ["CommonJS build", async () => cjs],
  ["ES module build", () => import(pathToFileURL(esmEntry).href) as Promise<ReactRouter>],
];
const routes: RouteObject[] = [
  {
    id: "root",
    path: "/",
    loader: () => "root",
    children: [
      { id: "home", index: true, loader: () => "home" },
      { id: "item", path: "items/:id", loader: ({ params }) => params.id },
      { id: "item-new", path: "items/new", loader: () => "new" },
      { id: "files", path: "files/*", loader: ({ params }) => params["*"] },
    ],
  },
];

async function leafOf(handler: ReturnType<ReactRouter["createStaticHandler"]>, url: string) {
  const ctx = await handler.query(new Request(`http://localhost${url}`));
  if (ctx instanceof Response) throw new Error(`unexpected response for ${url}`);
  const leaf = ctx.matches.at(-1);
  return { id: leaf?.route.id, params: leaf?.params, status: ctx.statusCode, data: ctx.loaderData };
}

describe.each(builds)("react-router patch, %s", (_name, load) => {
  it("gives the same matches the second time a path is asked for, with that request's params", async () => {
    const { createStaticHandler } = await load();
    const handler = createStaticHandler(routes);
    for (let round = 0; round < 2; round++) {
      expect(await leafOf(handler, "/items/new")).toMatchObject({ id: "item-new", status: 200 });
      expect(await leafOf(handler, "/items/42")).toMatchObject({ id: "item", params: { id: "42" } });
      expect(await leafOf(handler, "/items/43")).toMatchObject({ id: "item", params: { id: "43" } });
      expect(await leafOf(handler, "/files/a/b.txt")).toMatchObject({
        id: "files",
        params: { "*": "a/b.txt" },
      });
      expect(await leafOf(handler, "/")).toMatchObject({ id: "home" });
      expect((await leafOf(handler, "/nowhere")).status).toBe(404);
    }
  });

  it("keeps apart the memories of two route sets", async () => {
    const { createStaticHandler } = await load();
    const other = createStaticHandler([{ id: "only", path: "/items/:slug", loader: () => "x" }]);
    const handler = createStaticHandler(routes);
    expect(await leafOf(handler, "/items/new")).toMatchObject({ id: "item-new" });
    expect(await leafOf(other, "/items/new")).toMatchObject({ id: "only", params: { slug: "new" } });
  });

  it("converts a route set for the static router once", async () => {
    const { createStaticHandler, createStaticRouter } = await load();
    const handler = createStaticHandler(routes);
    const a = await handler.query(new Request("http://localhost/items/1"));
    const b = await handler.query(new Request("http://localhost/items/new"));
    if (a instanceof Response || b instanceof Response) throw new Error("unexpected response");
    const first = createStaticRouter(routes, a);
    const second = createStaticRouter(routes, b);
    expect(second.routes).toBe(first.routes);
    // Each router still has its own request's state.
    expect(first.state.matches.at(-1)?.route.id).toBe("item");
    expect(second.state.matches.at(-1)?.route.id).toBe("item-new");
    expect(second.state.matches.at(-1)?.route).toBe(second.routes[0].children?.[2]);
  });
});
