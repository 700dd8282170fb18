// How a tab applies the changed rows its change stream brings (components/jobs/use-job-changes.ts):
// batches heard meanwhile are merged (newest per job) and applied in one render, and the rows on
// screen change at most every RENDER_MS. A batch that changes no row on screen is applied at once:
// it renders nothing, so it must never hold back the next change to a row that is shown.
import type { JobSummary } from "@/lib/jobs/api-types";
import { keepNewest } from "./job-cache";

/**
 * Rows on screen change at most this often: under a flood a tab renders four times a second, as
 * often as a person can read a changing row, rather than once per batch. Twenty tabs rendering
 * every batch took the CPU the app's callbacks needed (docs/decisions/0009).
 */
export const RENDER_MS = 250;

export interface ChangeApplier {
  add(jobs: JobSummary[], created: string[]): void;
  stop(): void;
}

export function createChangeApplier({
  isShown,
  apply,
}: {
  /** Whether any of these jobs is on screen. */
  isShown: (jobs: JobSummary[]) => boolean;
  apply: (batch: { jobs: JobSummary[]; created: string[] }) => void;
}): ChangeApplier {
  const pendingJobs = new Map<string, JobSummary>();
  const pendingCreated = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = 0;
  let lastShownChangeAt = -Infinity;

  const applyPending = () => {
    timer = undefined;
    const jobs = [...pendingJobs.values()];
    const created = [...pendingCreated];
    pendingJobs.clear();
    pendingCreated.clear();
    if (isShown(jobs)) lastShownChangeAt = Date.now();
    apply({ jobs, created });
  };

  return {
    add(jobs, created) {
      keepNewest(pendingJobs, jobs);
      for (const id of created) pendingCreated.add(id);
      // Due at once, or, when a pending row is on screen, RENDER_MS after the last such change.
      const due = isShown([...pendingJobs.values()]) ? lastShownChangeAt + RENDER_MS : 0;
      if (timer !== undefined) {
        if (dueAt >= due) return;
        clearTimeout(timer);
      }
      dueAt = due;
      timer = setTimeout(applyPending, Math.max(0, due - Date.now()));
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
