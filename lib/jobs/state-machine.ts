// Every change of a job's state is decided here, as pure functions, so that callbacks, polls,
// create answers and cancels arriving in any order and any number of times converge on one truth.

export const JOB_STATES = ["submitting", "rejected", "queued", "running", "cancel_requested", "stopped", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

export const UPSTREAM_STATES = ["queued", "running", "stopped", "cancelled"] as const;
export type UpstreamState = (typeof UPSTREAM_STATES)[number];

export type Verdict = "applied" | "duplicate" | "stale";

/** States a job never leaves: upstream's two ends, and a create that upstream refused. */
export function isTerminal(state: JobState): boolean {
  return state === "stopped" || state === "cancelled" || state === "rejected";
}

// How far along each state is. cancel_requested sits between running and the end: only an end
// state moves a job on from it.
const RANK: Record<JobState, number> = {
  submitting: 0,
  queued: 1,
  running: 2,
  cancel_requested: 3,
  stopped: 4,
  cancelled: 4,
  rejected: 4,
};

export interface CurrentJob {
  state: JobState;
  /** `progress.last_update_at` of the newest applied observation, if any. */
  progressUpdatedAt: Date | null;
}

/** What upstream said about a job: in the create answer, a callback, or a poll. */
export interface Observation {
  state: UpstreamState;
  progressUpdatedAt: Date | null;
}

export interface Decision {
  verdict: Verdict;
  /** The state after the observation (unchanged unless the verdict is applied). */
  next: JobState;
}

/**
 * Decides what an observation of upstream does to a job. End states never regress; a repeat of
 * the current state is a duplicate unless it carries newer progress; anything older is stale.
 */
export function decideObservation(current: CurrentJob, observation: Observation): Decision {
  const keep = (verdict: Verdict): Decision => ({ verdict, next: current.state });
  if (isTerminal(current.state)) return keep(observation.state === current.state ? "duplicate" : "stale");
  const incoming = RANK[observation.state];
  const present = RANK[current.state];
  if (incoming > present) return { verdict: "applied", next: observation.state };
  if (incoming < present) return keep("stale");
  // Same state: only newer progress is news.
  const isNewerProgress =
    observation.progressUpdatedAt !== null &&
    (current.progressUpdatedAt === null || observation.progressUpdatedAt > current.progressUpdatedAt);
  return isNewerProgress ? { verdict: "applied", next: current.state } : keep("duplicate");
}

/** A cancel needs a job upstream knows (it has an id) that has not ended or been asked already. */
export function canRequestCancel(state: JobState): boolean {
  return state === "queued" || state === "running";
}

/** Upstream refusing the create ends a job only while it was still being submitted. */
export function canReject(state: JobState): boolean {
  return state === "submitting";
}

/**
 * Upstream refused a DELETE and the job is still cancel_requested: it goes back to the state
 * upstream reports, or, when upstream cannot be asked, to where it was before the request.
 */
export function stateAfterFailedCancel(reported: UpstreamState | null, before: JobState): JobState {
  return reported ?? before;
}
