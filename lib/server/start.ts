import "server-only";
import { ConfigError } from "@/lib/config/env";
import { startRelayWorker, stopRelayWorker } from "@/lib/jobs/relay";
import { startWorker } from "@/lib/worker/worker";
import { registerFrontListener } from "./front-listener";
import { getEnv } from "./env";
import { logEvent } from "./log";

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
  await ensureDemoAdminForQuickStart();
  // For the HTTP server in front of Next (scripts/server.mjs); harmless when Next runs alone.
  registerFrontListener();
  startRelayWorker();
  const worker = getEnv().worker.isEnabled ? startWorker() : null;
  registerBackgroundStop(() => Promise.all([stopRelayWorker(), worker?.stop()]));
}

/**
 * Where the HTTP server in front of Next (scripts/server.mjs) finds what to stop on SIGTERM or SIGINT
 * before it exits: handed over through the process's globals, like the front listener, because
 * the server loads none of the app's modules. It stops the worker and the relay worker together
 * (in-flight polls and deliveries finish, the rest of their claims go back at once) while requests
 * in flight drain.
 */
export const BACKGROUND_STOP_KEY = Symbol.for("jobdeck.stopBackgroundWork");

function registerBackgroundStop(stop: () => Promise<unknown>): void {
  (globalThis as Record<symbol, unknown>)[BACKGROUND_STOP_KEY] = stop;
}

/**
 * `npm run dev` / `npm start` in sandbox mode (the launcher sets JOBDECK_DEMO_ADMIN): a demo admin to
 * sign in as, so the quick start lands in a usable console. Never with a real Descript token.
 */
async function ensureDemoAdminForQuickStart(): Promise<void> {
  const password = process.env.JOBDECK_DEMO_PASSWORD;
  if (process.env.JOBDECK_DEMO_ADMIN !== "on" || !password || getEnv().descriptMode !== "sandbox") return;
  try {
    const { ensureDemoAdmin, DEMO_ADMIN_EMAIL } = await import("@/lib/auth/people");
    const outcome = await ensureDemoAdmin(password);
    if (outcome !== "unchanged") logEvent("info", `demo_admin_${outcome}`, { email: DEMO_ADMIN_EMAIL });
  } catch (error) {
    logEvent("error", "demo_admin_not_created", { error: (error as Error).message });
  }
}
