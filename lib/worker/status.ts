import "server-only";
// What the console's status strip shows of the background work: which upstream, the shared
// budget, the sweep and webhook silence (GET /api/status).
import { readBudgetState } from "@/lib/descript/budget";
import { getEnv } from "@/lib/server/env";
import type { StatusAnswer } from "@/lib/status/api-types";
import { readWebhookSilence } from "./repository";
import { listSweepRuns } from "./sweep";
import { findSweepTimes } from "./worker";

export async function getStatus(): Promise<StatusAnswer> {
  const env = getEnv();
  const [budget, times, recentRuns, webhookSilence] = await Promise.all([
    readBudgetState(env.upstreamRatePerSec),
    findSweepTimes(env.worker.sweepIntervalMinutes),
    listSweepRuns(10),
    readWebhookSilence(),
  ]);
  return { upstream: { mode: env.descriptMode }, budget, sweep: { ...times, recentRuns }, webhookSilence };
}
