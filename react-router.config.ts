import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // The whole route manifest is one cached file, loaded with the first page, instead of a partial
  // manifest computed and inlined into every page (a per-request cost that grows with the routes)
  // and a /__manifest request before navigating somewhere new. ADR 0012.
  routeDiscovery: { mode: "initial" },
  // KEPU_BUILD_DIR lets a second build live beside the first (parallel test runs, staged deploys).
  buildDirectory: process.env.KEPU_BUILD_DIR ?? "build",
} satisfies Config;
