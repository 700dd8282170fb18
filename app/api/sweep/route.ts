// POST /api/sweep — ops: run the expiry sweep now (as the hourly one does), recording who asked.
import { actorLabel } from "@/lib/auth/actor";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { json, route } from "@/lib/server/route";
import { runSweep } from "@/lib/worker/sweep";

export const dynamic = "force-dynamic";

export const POST = route({ format: "problem", access: "ops:sweep" }, async ({ requestId, actor }) => {
  logEvent("info", "sweep_requested", { requestId, by: actorLabel(actor) });
  const run = await runSweep();
  if (!run) throw new AppError("conflict", "Another sweep is running; it does the work.");
  return json(run);
});
