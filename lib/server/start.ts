import "server-only";
import { ConfigError } from "@/lib/config/env";
import { startRelayWorker } from "@/lib/jobs/relay";
import { startWorker } from "@/lib/worker/worker";
import { registerCallbackListener } from "./callback-listener";
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
  // For the HTTP server in front of Next (scripts/server.mjs); harmless when Next runs alone.
  registerCallbackListener();
  startRelayWorker();
  if (getEnv().worker.isEnabled) {
    const worker = startWorker();
    // Best effort: the server exits on SIGTERM and SIGINT by itself; what this cannot release, the leases return.
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void worker.stop().catch(() => {}));
  }
}
