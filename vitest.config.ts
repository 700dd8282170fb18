import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside Next's react-server build; in tests server modules are the point.
      "server-only": path.join(root, "tests/support/server-only-stub.ts"),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // Files share one database, one app and one sandbox: run them one at a time so that
          // global sandbox controls (faults, rate limits) never leak into another file.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // As for the end-to-end tier: one retry in CI, and the reporter names the tests that used it.
          retry: process.env.CI ? 1 : 0,
        },
      },
    ],
  },
});
