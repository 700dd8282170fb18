// How a tab applies the changed rows its change stream brings (components/jobs/use-job-changes.ts):
// batches heard meanwhile are merged (newest per job) and applied in one render, and the rows on
// screen change at most every RENDER_MS. A batch that changes no row on screen is applied at once:
// it renders nothing, so it must never hold back the next change to a row that is shown. A hidden
// tab (another tab of the window is in front, or the window is minimized) applies nothing: it holds
// what it hears and applies it the moment it is shown, so twenty open tabs cost one tab's renders.
import type { JobSummary } from "@/lib/jobs/api-types";
import { keepNewest } from "./job-cache";

/**
 * Rows on screen change at most this often: under a flood a tab renders four times a second, as
 * often as a person can read a changing row, rather than once per batch. Twenty tabs rendering
 * every batch took the CPU the app's callbacks needed (docs/decisions/0009).
 */
export const RENDER_MS = 250;

/**
 * A hidden tab holds at most this many changed jobs; past it, it forgets them and reads what it
 * shows again when it is shown (`onOverflow`): a tab left behind all day keeps bounded memory.
 */
export const MAX_HELD_JOBS = 1_000;

export interface ChangeApplier {
  add(jobs: JobSummary[], created: string[]): void;
  /** The tab was shown: what it held is applied at once. */
  resume(): void;
  stop(): void;
}

export function createChangeApplier({
  isShown,
  isHidden,
  apply,
  onOverflow,
}: {
  /** Whether any of these jobs is on screen. */
  isShown: (jobs: JobSummary[]) => boolean;
  /** Whether the tab is hidden now (document.visibilityState). */
  isHidden: () => boolean;
  apply: (batch: { jobs: JobSummary[]; created: string[] }) => void;
  /** A hidden tab heard of more than MAX_HELD_JOBS jobs and forgot them: read what is shown again. */
  onOverflow: () => void;
}): ChangeApplier {
  const pendingJobs = new Map<string, JobSummary>();
  const pendingCreated = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = 0;
  let lastShownChangeAt = -Infinity;
  let hasOverflowed = false;

  const cancelTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };

  const applyPending = () => {
    cancelTimer();
    const jobs = [...pendingJobs.values()];
    const created = [...pendingCreated];
    pendingJobs.clear();
    pendingCreated.clear();
    if (isShown(jobs)) lastShownChangeAt = Date.now();
    apply({ jobs, created });
  };

  return {
    add(jobs, created) {
      if (isHidden()) {
        cancelTimer();
        if (hasOverflowed) return;
        keepNewest(pendingJobs, jobs);
        for (const id of created) pendingCreated.add(id);
        if (pendingJobs.size + pendingCreated.size > MAX_HELD_JOBS) {
          hasOverflowed = true;
          pendingJobs.clear();
          pendingCreated.clear();
        }
        return;
      }
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
    resume() {
      if (hasOverflowed) {
        hasOverflowed = false;
        onOverflow();
        return;
      }
      if (pendingJobs.size > 0 || pendingCreated.size > 0) applyPending();
    },
    stop: cancelTimer,
  };
}
