import "server-only";
// Settles one claimed job against upstream. A poll goes through refreshJob, so what it finds is
// decided by the same state machine as a callback; the cases a poll cannot settle (a create whose
// answer was lost, a job upstream forgot) end with a reason on the job's timeline.
import { isUpstreamHttpError } from "@/lib/descript/client";
import type { UpstreamJob } from "@/lib/descript/schemas";
import { appendEvent, updateJob, withLockedJob } from "@/lib/jobs/repository";
import { applyUpstreamJob, refreshJob } from "@/lib/jobs/service";
import { isTerminal } from "@/lib/jobs/state-machine";
import { getDescriptClient } from "@/lib/jobs/upstream";
import { logEvent } from "@/lib/server/log";
import {
  findCreateFailureAt,
  findKnownUpstreamIds,
  hasReceivedCallback,
  markCallbackMissed,
  type ClaimedJob,
} from "./repository";
import { nextPollDelaySeconds, submittingRecheckSeconds } from "./schedule";

export interface ReconcileContext {
  typicalSeconds: (type: string) => number;
  submitGraceSeconds: number;
}

export interface ReconcileOutcome {
  /** Whether an upstream call was made (starts the 3-second floor). */
  polled: boolean;
  /** When to look again if the job is still active. */
  delaySeconds: number;
}

export async function reconcileJob(job: ClaimedJob, context: ReconcileContext): Promise<ReconcileOutcome> {
  if (isTerminal(job.state)) return { polled: false, delaySeconds: 0 };
  if (job.state === "submitting") return settleSubmitting(job, context);
  const typicalSeconds = context.typicalSeconds(job.type);
  const ageSeconds = (Date.now() - job.created_at.getTime()) / 1000;
  const delaySeconds = nextPollDelaySeconds({ typicalSeconds, pollCount: job.poll_count + 1, ageSeconds });
  try {
    const hadCallback = await hasReceivedCallback(job.id);
    const verdict = await refreshJob(job.id);
    if (verdict === "applied" && !hadCallback) await noteIfEndedSilently(job.id);
  } catch (error) {
    if (isUpstreamHttpError(error) && error.status === 404) {
      await endJob(job.id, "upstream_job_unknown", "Descript no longer knows this job (it answered 404 to a poll)");
    } else {
      // 429s and 5xx were already retried and shared through the budget: try again next time.
      logEvent("warn", "reconcile_poll_failed", { jobId: job.id, error: (error as Error).message });
    }
  }
  return { polled: true, delaySeconds };
}

/** A poll ended the job and no callback ever came: webhook silence, for ops to see. */
async function noteIfEndedSilently(jobId: string): Promise<void> {
  const hasEnded = await withLockedJob(jobId, async (tx, job) => {
    // A poll that brought a running job's progress is no silence: Descript calls back only at the end.
    if (!isTerminal(job.state)) return false;
    await appendEvent(tx, jobId, {
      kind: "reconciled",
      message: "ended as found by polling: no callback from Descript arrived (is PUBLIC_BASE_URL reachable from Descript?)",
    });
    return true;
  });
  if (hasEnded) await markCallbackMissed(jobId);
}

/**
 * A job still submitting: its create is in flight (perhaps waiting its turn in the budget), or its
 * answer was lost. Upstream is asked whether it created the job anyway only once the create's
 * failure is recorded (5xx, no answer), or after ten grace periods without one (the instance died
 * mid-create); asking earlier could adopt the job of another create still in flight. Found, the
 * job is adopted; not found a grace period after the failure, it ends with the reason.
 */
async function settleSubmitting(job: ClaimedJob, context: ReconcileContext): Promise<ReconcileOutcome> {
  const failedAt = await findCreateFailureAt(job.id);
  const ageSeconds = (Date.now() - job.created_at.getTime()) / 1000;
  const staleSeconds = 10 * context.submitGraceSeconds;
  const again = { polled: false, delaySeconds: submittingRecheckSeconds(job.poll_count + 1) };
  if (!failedAt && ageSeconds < staleSeconds) return { ...again, delaySeconds: staleSeconds - ageSeconds };

  const found = await lookUpCreatedJob(job, failedAt);
  if (found) {
    const verdict = await applyUpstreamJob({ jobId: job.id, job: found, source: "poll" });
    if (verdict === "applied") {
      await withLockedJob(job.id, (tx) =>
        appendEvent(tx, job.id, { kind: "reconciled", message: `adopted Descript job ${found.job_id}, found by looking up upstream's job list (the create's answer was lost)` }),
      );
      return { polled: true, delaySeconds: context.typicalSeconds(job.type) };
    }
  }
  const waitedSeconds = failedAt ? (Date.now() - failedAt.getTime()) / 1000 : ageSeconds;
  if (waitedSeconds > context.submitGraceSeconds) {
    await endJob(job.id, "create_unconfirmed", `Descript never confirmed the create, and ${Math.round(waitedSeconds)} s later its job list shows no job that is certainly this one`);
  }
  return { ...again, polled: true };
}

/** Clock difference between Jobdeck and upstream that the look-up tolerates. */
const CLOCK_SLACK_MS = 2_000;
/** The client's own time limit on a create: after it, upstream cannot still be making our job. */
const CREATE_TIMEOUT_MS = 15_000;

/**
 * The upstream job our lost create made, if it can be told apart: of the same type (and project,
 * when the create named one), unknown to Jobdeck, and created while our create was in flight
 * (between our row and the recorded failure, or the client's time limit). Exactly one such job is
 * adopted; none, or several (another client of the same account created one at the same moment),
 * adopts nothing, for a wrong adoption would show another job's result as ours.
 */
async function lookUpCreatedJob(job: ClaimedJob, failedAt: Date | null): Promise<UpstreamJob | null> {
  const from = job.created_at.getTime() - CLOCK_SLACK_MS;
  const until = (failedAt?.getTime() ?? job.created_at.getTime() + CREATE_TIMEOUT_MS) + CLOCK_SLACK_MS;
  const isUuid = job.project_id !== null && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(job.project_id);
  const page = await getDescriptClient().listJobs({ created_after: new Date(from).toISOString(), type: job.type, ...(isUuid ? { project_id: job.project_id! } : {}) });
  const candidates = page.data.filter((listed) => {
    const createdAt = Date.parse(listed.created_at);
    return listed.job_type === job.type && createdAt >= from && createdAt <= until;
  });
  if (candidates.length === 0) return null;
  const known = await findKnownUpstreamIds(candidates.map((listed) => listed.job_id));
  const unknown = candidates.filter((listed) => !known.has(listed.job_id));
  return unknown.length === 1 ? unknown[0]! : null;
}

/** Ends an active job that upstream cannot settle, with the reason on the job and its timeline. */
async function endJob(jobId: string, errorCode: string, reason: string): Promise<void> {
  await withLockedJob(jobId, async (tx, job) => {
    if (isTerminal(job.state)) return;
    // A create that never happened is refused; a job upstream forgot stopped, in error.
    const isRefused = job.state === "submitting";
    await updateJob(tx, jobId, {
      state: isRefused ? "rejected" : "stopped",
      ...(isRefused ? {} : { outcome: "error", upstreamState: "stopped" }),
      errorCode,
      errorMessage: reason,
      progressLabel: null,
      progressPercent: null,
      progressUpdatedAt: null,
    });
    await appendEvent(tx, jobId, { kind: "reconciled", message: reason });
  });
}
