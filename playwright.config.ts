import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./scripts/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  // Signs each role in once; specs run as the admin unless they ask for another role.
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  // CI runs on a shared 2-core machine: one retry keeps a scheduling hiccup from failing the run;
  // the list reporter still names every test that needed it ("flaky").
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ["list"],
    ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ?? path.join(".data", "test-results", "playwright.json") }],
  ],
  use: {
    // The test stack serves the built app here (scripts/with-stack.ts, scripts/test.ts).
    baseURL: process.env.PUBLIC_BASE_URL ?? "http://127.0.0.1:3100",
    trace: "retain-on-failure",
    storageState: path.join(".data", "test-results", "storage-admin.json"),
  },
  outputDir: "test-results",
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: chromiumPath ? { executablePath: chromiumPath, args: ["--headless", ...CHROMIUM_ARGS] } : {},
      },
    },
  ],
});
