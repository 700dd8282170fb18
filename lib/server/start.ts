import "server-only";
import { ConfigError } from "@/lib/config/env";
import { startRelayWorker } from "@/lib/jobs/relay";
import { startWorker } from "@/lib/worker/worker";
import { getEnv } from "./env";

/**
 * The longest the background work may hold up Next's own shutdown: the worker's grace and one
 * release query, well inside the launcher's 10 s before SIGKILL (scripts/stack.ts stopChild).
 */
const WORK_STOP_LIMIT_MS = 7_000;

/** Checks the configuration before the instance takes a request, then starts its background work. */
export async function startServerInstance(): Promise<void> {
  try {
    getEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line naming the variable, never a stack trace.
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  startRelayWorker();
  if (getEnv().worker.isEnabled) {
    const worker = startWorker();
    runBeforeNextStops(() => worker.stop());
  }
}

/**
 * Runs `stop` on SIGTERM or SIGINT before the signal's listeners registered so far, which are
 * Next's own shutdown (`next start` registers it before it loads instrumentation): it closes the
 * HTTP server, then exits the process the moment that is done, which would cut off work started
 * beside it halfway. Next's other way, NEXT_MANUAL_SIG_HANDLE, would drop its graceful close
 * altogether. Listeners added later (open change streams end) still run at once.
 */
function runBeforeNextStops(stop: () => Promise<unknown>): void {
  // Once per process: were instrumentation to run again, it would wrap this wrapper.
  const globalForStop = globalThis as typeof globalThis & { jobdeckStopsBeforeNext?: boolean };
  if (globalForStop.jobdeckStopsBeforeNext) return;
  globalForStop.jobdeckStopsBeforeNext = true;
  let stopping: Promise<unknown> | undefined;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const nextsOwn = process.listeners(signal) as Array<(signal: NodeJS.Signals) => void>;
    for (const listener of nextsOwn) process.removeListener(signal, listener);
    process.on(signal, () => {
      if (stopping) return;
      let limit: NodeJS.Timeout | undefined;
      const overLimit = new Promise((resolve) => (limit = setTimeout(resolve, WORK_STOP_LIMIT_MS)));
      stopping = Promise.race([stop().catch(() => {}), overLimit])
        .finally(() => clearTimeout(limit))
        .finally(() => {
          // Without Next's listeners (NEXT_MANUAL_SIG_HANDLE), nothing else would end the process.
          if (nextsOwn.length === 0) process.exit(signal === "SIGTERM" ? 143 : 130);
          for (const listener of nextsOwn) listener.call(process, signal);
        });
    });
  }
}
