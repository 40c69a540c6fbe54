import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = {
  "~": fileURLToPath(new URL("./app", import.meta.url)),
  "#src": fileURLToPath(new URL("./src", import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "app/**/*.test.ts", "app/**/*.test.tsx"],
          exclude: ["**/*.int.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          // The files share a worker's loaded modules instead of re-importing the app for each file:
          // that import was about 100 s of each engine's run (ADR 0008). No integration test mocks
          // modules, and each builds its own context and database.
          isolate: false,
          include: ["src/**/*.int.test.ts", "tests/integration/**/*.int.test.ts"],
          globalSetup: ["tests/support/template-db.global.ts"],
          environment: "node",
          // A hang still fails; a heavy test on a busy 2-core machine (both engines' suites side by
          // side, as CI runs them) has taken over 30 s.
          testTimeout: 90_000,
          hookTimeout: 90_000,
          env: { NODE_ENV: "test" },
        },
      },
    ],
  },
});
