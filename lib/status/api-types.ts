// GET /api/status: what the status strip under the header shows. Client-safe. Only `upstream` is
// always there; the other parts appear once the background work that knows them exposes them,
// and the strip renders whichever parts an answer has.

export interface UpstreamStatus {
  /** "sandbox": the local Descript emulator (no token configured); "live": Descript's API. */
  mode: "sandbox" | "live";
}

export interface BudgetStatus {
  /** Requests upstream still allows in the current window. */
  remaining: number;
  limit: number;
  /** When the window resets (ISO 8601), if known. */
  resetsAt?: string | null;
}

export interface SweepStatus {
  lastAt?: string | null;
  nextAt?: string | null;
}

export interface WebhookSilenceWarning {
  /** What has been silent, as a person reads it. */
  message: string;
  /** Since when (ISO 8601). */
  since?: string | null;
}

export interface StatusAnswer {
  upstream: UpstreamStatus;
  budget?: BudgetStatus;
  sweep?: SweepStatus;
  webhookSilence?: WebhookSilenceWarning[];
}
