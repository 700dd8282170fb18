import type { JobOutcome } from "@/lib/jobs/api-types";
import type { JobState } from "@/lib/jobs/state-machine";

const BADGE = "inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium";

const STATE_STYLES: Record<JobState, string> = {
  submitting: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  rejected: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
  queued: "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-200",
  running: "bg-blue-100 text-blue-800 dark:bg-blue-900/40 dark:text-blue-200",
  cancel_requested: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  stopped: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
  cancelled: "bg-zinc-200 text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200",
};

const OUTCOME_STYLES: Record<JobOutcome, string> = {
  success: STATE_STYLES.stopped,
  partial: "bg-orange-100 text-orange-900 dark:bg-orange-900/40 dark:text-orange-200",
  error: STATE_STYLES.rejected,
};

/** A stopped job is shown by its outcome, since "stopped" alone hides whether it worked. */
export function JobStateBadge({ state, outcome }: { state: JobState; outcome: JobOutcome | null }) {
  if (state === "stopped" && outcome) return <JobOutcomeBadge outcome={outcome} />;
  return <StateBadge state={state} />;
}

export function StateBadge({ state }: { state: JobState }) {
  return <span className={`${BADGE} ${STATE_STYLES[state]}`}>{state.replace("_", " ")}</span>;
}

export function JobOutcomeBadge({ outcome }: { outcome: JobOutcome }) {
  return <span className={`${BADGE} ${OUTCOME_STYLES[outcome]}`}>{outcome}</span>;
}
