// GET /api/status: what the status strip under the header shows. Client-safe (type imports only):
// the background work defines each part where it is kept, and this is the answer as a whole.
import type { BudgetState } from "@/lib/descript/budget";
import type { WebhookSilence } from "@/lib/worker/repository";
import type { SweepRunView } from "@/lib/worker/sweep";

export type { BudgetState, SweepRunView, WebhookSilence };

export interface StatusAnswer {
  /** "sandbox": the local Descript emulator (no token configured); "live": Descript's API. */
  upstream: { mode: "sandbox" | "live" };
  /** The deployment's one upstream budget (docs/decisions/0014). */
  budget: BudgetState;
  sweep: { lastAt: string | null; nextAt: string; recentRuns: SweepRunView[] };
  webhookSilence: WebhookSilence;
}
