// `npm test`: everything CI runs. Type check and lint, then the three tiers against one stack
// (a real Postgres, the sandbox over HTTP, the built app), then one plain closing line
// `N passed, N failed` with the real totals of all tiers; a check or tier that fails to run at all
// counts as one failure, so the line never hides it.
//   --only=integration   just the integration tier (CI's second pass against another database)
// JOBDECK_TOTALS_FILE, when set, receives the totals as JSON (for .ci/run to add up).
import fs from "node:fs";
import path from "node:path";
import { chromiumPath } from "./chromium";
import { exitCodeOf, log, ROOT, runMain, runToCompletion, startBuiltApp, startChild, startStack, stopChild, type Stack } from "./stack";

const RESULTS = path.join(ROOT, ".data/test-results");
const VITEST_JSON = path.join(RESULTS, "vitest.json");
const PLAYWRIGHT_JSON = path.join(RESULTS, "playwright.json");
const bin = (name: string) => path.join(ROOT, "node_modules/.bin", name);

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

const ONE_FAILURE: Totals = { passed: 0, failed: 1, skipped: 0 };
const NOTHING: Totals = { passed: 0, failed: 0, skipped: 0 };

runMain(async () => {
  const integrationOnly = process.argv.includes("--only=integration");
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  let totals = NOTHING;
  if (!integrationOnly) {
    totals = add(totals, await check("type check", bin("tsc"), ["--noEmit"]));
    totals = add(totals, await check("lint", bin("eslint"), ["."]));
    if (!chromiumPath) {
      log("no Debian Chromium (/usr/bin/chromium): installing Playwright's own");
      totals = add(totals, await check("browser install", bin("playwright"), ["install", "chromium"]));
    }
  }
  const stack = await startStack({ profile: "test", withSandbox: true });
  try {
    const app = await startBuiltApp(stack);
    try {
      const projects = integrationOnly ? ["--project", "integration"] : [];
      totals = add(totals, await runTier(stack, "vitest", ["run", ...projects, "--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_JSON}`], readVitestTotals));
      if (!integrationOnly) totals = add(totals, await runTier(stack, "playwright", ["test"], readPlaywrightTotals));
    } finally {
      await stopChild(app);
    }
  } finally {
    await stack.stop();
  }
  if (process.env.JOBDECK_TOTALS_FILE) fs.writeFileSync(process.env.JOBDECK_TOTALS_FILE, JSON.stringify(totals));
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
  process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
  return totals.failed === 0 && totals.passed > 0 ? 0 : 1;
});

async function check(name: string, command: string, args: string[]): Promise<Totals> {
  log(name);
  try {
    await runToCompletion(command, args, { env: process.env });
    return NOTHING;
  } catch (error) {
    log(`${name} failed: ${(error as Error).message}`);
    return ONE_FAILURE;
  }
}

async function runTier(stack: Stack, command: string, args: string[], readTotals: () => Totals | null): Promise<Totals> {
  const code = await exitCodeOf(startChild(command, args, { ...stack.env, PLAYWRIGHT_JSON_OUTPUT_FILE: PLAYWRIGHT_JSON }));
  const totals = readTotals();
  // A runner that died before reporting (a crash, a config error) must not pass silently.
  if (!totals) return ONE_FAILURE;
  return code !== 0 && totals.failed === 0 ? add(totals, ONE_FAILURE) : totals;
}

function readJson(file: string): Record<string, unknown> | null {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : null;
}

function readVitestTotals(): Totals | null {
  const report = readJson(VITEST_JSON);
  if (!report) return null;
  return {
    passed: Number(report.numPassedTests ?? 0),
    failed: Number(report.numFailedTests ?? 0),
    skipped: Number(report.numPendingTests ?? 0) + Number(report.numTodoTests ?? 0),
  };
}

function readPlaywrightTotals(): Totals | null {
  const report = readJson(PLAYWRIGHT_JSON);
  if (!report) return null;
  const stats = (report.stats ?? {}) as Record<string, number>;
  return { passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: stats.unexpected ?? 0, skipped: stats.skipped ?? 0 };
}

function add(a: Totals, b: Totals): Totals {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}
