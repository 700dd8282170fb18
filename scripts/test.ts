// `npm test`: everything CI runs. Type check and lint, then the three tiers against one stack
// (a real Postgres, the sandbox over HTTP, the built app), then one plain closing line
// `N passed, N failed` with the real totals of all tiers.
import fs from "node:fs";
import path from "node:path";
import { exitCodeOf, log, ROOT, runMain, runToCompletion, startBuiltApp, startChild, startStack, type Stack } from "./stack";

const RESULTS = path.join(ROOT, ".data/test-results");
const VITEST_JSON = path.join(RESULTS, "vitest.json");
const PLAYWRIGHT_JSON = path.join(RESULTS, "playwright.json");
const CHROMIUM = "/usr/bin/chromium";

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

runMain(async () => {
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);
  const checks = { env: process.env };

  log("type check");
  await runToCompletion(bin("tsc"), ["--noEmit"], checks);
  log("lint");
  await runToCompletion(bin("eslint"), ["."], checks);
  if (!fs.existsSync(CHROMIUM)) {
    log(`no ${CHROMIUM}: installing Playwright's own Chromium`);
    await runToCompletion(bin("playwright"), ["install", "chromium"], checks);
  }

  const stack = await startStack({ profile: "test", withSandbox: true });
  let totals: Totals = { passed: 0, failed: 0, skipped: 0 };
  try {
    const app = await startBuiltApp(stack);
    try {
      totals = add(totals, await runTier(stack, "vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_JSON}`], readVitestTotals));
      totals = add(totals, await runTier(stack, "playwright", ["test"], readPlaywrightTotals));
    } finally {
      app.kill("SIGTERM");
      await exitCodeOf(app);
    }
  } finally {
    await stack.stop();
  }
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
  process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
  return totals.failed === 0 && totals.passed > 0 ? 0 : 1;
});

async function runTier(stack: Stack, bin: string, args: string[], readTotals: () => Totals): Promise<Totals> {
  const code = await exitCodeOf(startChild(bin, args, { ...stack.env, PLAYWRIGHT_JSON_OUTPUT_FILE: PLAYWRIGHT_JSON }));
  const totals = readTotals();
  // A runner that died before reporting (a crash, a config error) must not pass silently.
  if (code !== 0 && totals.failed === 0) return { ...totals, failed: 1 };
  return totals;
}

function readJson(file: string): Record<string, unknown> | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : undefined;
}

function readVitestTotals(): Totals {
  const report = readJson(VITEST_JSON) ?? {};
  return {
    passed: Number(report.numPassedTests ?? 0),
    failed: Number(report.numFailedTests ?? 0),
    skipped: Number(report.numPendingTests ?? 0) + Number(report.numTodoTests ?? 0),
  };
}

function readPlaywrightTotals(): Totals {
  const stats = (readJson(PLAYWRIGHT_JSON)?.stats ?? {}) as Record<string, number>;
  return { passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: stats.unexpected ?? 0, skipped: stats.skipped ?? 0 };
}

function add(a: Totals, b: Totals): Totals {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}
