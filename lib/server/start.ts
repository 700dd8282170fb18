import "server-only";
import { ConfigError } from "@/lib/config/env";
import { startRelayWorker } from "@/lib/jobs/relay";
import { startWorker } from "@/lib/worker/worker";
import { getEnv } from "./env";

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
    // Best effort: Next exits on SIGTERM and SIGINT by itself; what this cannot release, the leases return.
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void worker.stop().catch(() => {}));
  }
}
