import "server-only";
import { ConfigError } from "@/lib/config/env";
import { startRelayWorker } from "@/lib/jobs/relay";
import { startWorker } from "@/lib/worker/worker";
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
  startRelayWorker();
  if (getEnv().worker.isEnabled) {
    const worker = startWorker();
    // Best effort: Next exits on SIGTERM and SIGINT by itself; what this cannot release, the leases return.
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void worker.stop().catch(() => {}));
  }
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
