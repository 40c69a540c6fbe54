import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // KEPU_BUILD_DIR lets a second build live beside the first (parallel test runs, staged deploys).
  buildDirectory: process.env.KEPU_BUILD_DIR ?? "build",
} satisfies Config;
