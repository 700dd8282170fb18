// `npm run sweep`: one expiry sweep now, beside a running app or without one (embedded database
// included: the launcher shares a running one). Waits for nothing: if another sweeper holds the
// lock, it says so and leaves the work to it.
import fs from "node:fs";
import path from "node:path";
import { log, ROOT, runMain, startStack } from "./stack";

runMain(async () => {
  if (fs.existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const stack = await startStack({ profile: "dev", withSandbox: false });
  Object.assign(process.env, stack.env);
  try {
    const { runSweep } = await import("../lib/worker/sweep");
    const run = await runSweep();
    if (!run) log("another sweep is running; nothing to do");
    else log(`sweep ${run.id}: ${run.jobsDeleted} jobs deleted (${run.filesDeleted} files, ${run.eventsDeleted} events, ${run.relaysDeleted} relays), ${run.rollupsWritten} rollups written, ${run.rollupsPruned} pruned${run.error ? `; failed: ${run.error}` : ""}`);
    return run?.error ? 1 : 0;
  } finally {
    await stack.stop();
  }
});
