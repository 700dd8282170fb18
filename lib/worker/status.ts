import "server-only";
// What the console's status strip shows of the background work: which upstream, the shared
// budget, the sweep and webhook silence (GET /api/status).
import { readBudgetState, type BudgetState } from "@/lib/descript/budget";
import { getEnv } from "@/lib/server/env";
import { readWebhookSilence, type WebhookSilence } from "./repository";
import { listSweepRuns, type SweepRunView } from "./sweep";
import { findSweepTimes } from "./worker";

export interface StatusView {
  upstream: { mode: "sandbox" | "live" };
  budget: BudgetState;
  sweep: { lastAt: string | null; nextAt: string; recentRuns: SweepRunView[] };
  webhookSilence: WebhookSilence;
}

export async function getStatus(): Promise<StatusView> {
  const env = getEnv();
  const [budget, times, recentRuns, webhookSilence] = await Promise.all([
    readBudgetState(env.upstreamRatePerSec),
    findSweepTimes(env.worker.sweepIntervalMinutes),
    listSweepRuns(10),
    readWebhookSilence(),
  ]);
  return { upstream: { mode: env.descriptMode }, budget, sweep: { ...times, recentRuns }, webhookSilence };
}
