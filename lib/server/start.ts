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
    registerBackgroundStop(() => worker.stop());
  }
}

/**
 * Where the HTTP server in front of Next (scripts/server.mjs) finds what to stop on SIGTERM or SIGINT
 * before it exits: handed over through the process's globals, like the callback listener, because
 * the server loads none of the app's modules. It stops the worker (in-flight polls finish, the rest
 * of its claims go back at once) while requests in flight drain.
 */
export const BACKGROUND_STOP_KEY = Symbol.for("jobdeck.stopBackgroundWork");

function registerBackgroundStop(stop: () => Promise<unknown>): void {
  (globalThis as Record<symbol, unknown>)[BACKGROUND_STOP_KEY] = stop;
}
