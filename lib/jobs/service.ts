import "server-only";
// The job core: submit through the proxy, apply what upstream reports (create answers, callbacks,
// polls), cancel. Each change is decided by the state machine and written by the repository in one
// transaction with its timeline entry and notification.
import { UpstreamHttpError, UpstreamUnavailableError } from "@/lib/descript/client";
import { importRequestSchema, type CreatableJobType, type CreateJobRequest, type CreateJobResponse, type UpstreamJob } from "@/lib/descript/schemas";
import { canCancelJob, type Principal } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { redactText } from "@/lib/server/redact";
import { signCallbackToken } from "./callback-token";
import { kickRelayWorker } from "./relay";
import {
  appendEvent,
  appendEventAndNotify,
  applyObservation,
  findJob,
  insertSubmittingJob,
  isStorableAsIs,
  summarizeBody,
  toStorableJson,
  updateJob,
  withLockedJob,
  type FileResult,
  type JobColumns,
  type JobWithFiles,
  type NewEvent,
} from "./repository";
import { toUpstreamJob } from "./serializers";
import { getDescriptClient } from "./upstream";
import { canReject, canRequestCancel, decideObservation, isTerminal, stateAfterFailedCancel, type JobState } from "./state-machine";

/**
 * Who submits or cancels, as the job records it: `label` names them for people (an email or
 * `key:<name>`), `principalId` decides ownership (lib/auth/permissions.ts canCancelJob).
 */
export type Submitter = Principal & { label: string };

export type DeliveryVerdict = "applied" | "duplicate" | "stale" | "rejected";

export interface SubmitJobInput {
  type: CreatableJobType;
  body: CreateJobRequest;
  submittedBy: Submitter;
  /** Set when this import re-imports another's failed files (the two jobs are linked). */
  reimportOfId?: string;
}

/**
 * Records the intent first, then asks upstream with Jobdeck's own callback URL. The intent row is
 * what a callback arriving before upstream's answer lands on. Never retried: a repeated create can
 * start a second paid job.
 */
export async function submitJob({ type, body, submittedBy, reimportOfId }: SubmitJobInput): Promise<{ jobId: string; answer: CreateJobResponse }> {
  // Postgres stores no NUL character and no unpaired surrogate: refuse them now, for good, rather
  // than fail after upstream has created the job.
  if (!isStorableAsIs(body)) throw new AppError("invalid_input", '"value" must not contain null characters or unpaired surrogates');
  const { callback_url: clientCallbackUrl, ...request } = body;
  const files =
    "add_media" in request && request.add_media
      ? Object.entries(request.add_media).map(([reference, item]) => ({ reference, sourceUrl: "url" in item ? item.url : null }))
      : [];
  const job = await insertSubmittingJob(
    {
      type,
      request: toStorableJson(request) ?? {},
      projectId: request.project_id ?? null,
      projectName: ("project_name" in request ? request.project_name : undefined) ?? null,
      submittedBy: submittedBy.label,
      submitterId: submittedBy.principalId,
      clientCallbackUrl: clientCallbackUrl ?? null,
      files,
      reimportOfId,
    },
    { kind: "submitted", payload: request, message: `submitted by ${submittedBy.label}` },
  );
  const env = getEnv();
  const callbackUrl = `${env.publicBaseUrl}/api/callbacks/descript/${signCallbackToken(job.id, env.callbackSecret)}`;
  let answer: CreateJobResponse;
  try {
    answer = documentedAnswer(await getDescriptClient().createJob(type, { ...request, callback_url: callbackUrl }));
  } catch (error) {
    await recordCreateFailure(job.id, error).catch((recordError: unknown) =>
      logEvent("error", "create_failure_not_recorded", { jobId: job.id, error: (recordError as Error).message }),
    );
    throw error;
  }
  // Upstream has created the job: the client must hear so even if recording the answer fails,
  // or it may retry and start a second paid job. The callback still carries the ids to this row.
  await recordCreateAnswer(job.id, answer).catch((recordError: unknown) =>
    logEvent("error", "create_answer_not_recorded", { jobId: job.id, upstreamJobId: answer.job_id, error: (recordError as Error).message }),
  );
  return { jobId: job.id, answer };
}

/**
 * Only the fields Descript documents pass on: whatever else upstream adds (an echo of the request,
 * and so of Jobdeck's callback URL) stays out of the client's answer and the timeline.
 */
function documentedAnswer(answer: CreateJobResponse): CreateJobResponse {
  const { job_id, drive_id, drive_name, project_id, project_url, upload_urls } = answer;
  return { job_id, drive_id, drive_name, project_id, project_url, upload_urls };
}

/**
 * Imports a finished import's failed files again, into the same project, as a new job linked to the
 * old one. It goes upstream like any submission; only files imported from a URL can be sent again
 * (a direct upload's bytes were never Jobdeck's).
 */
export async function reimportFailedFiles({ jobId, submittedBy }: { jobId: string; submittedBy: Submitter }) {
  const job = await findJob(jobId);
  if (!job) throw new AppError("not_found", `No job ${jobId}.`);
  if (job.type !== "import/project_media" || !isTerminal(job.state)) {
    throw new AppError("conflict", "Only a finished import can have its failed files imported again.");
  }
  if (!job.projectId) throw new AppError("conflict", "The import has no project to import into.");
  const originalMedia = readOriginalMedia(job.request);
  const failed = job.files.filter((file) => file.status === "failed" && file.sourceUrl);
  if (failed.length === 0) throw new AppError("conflict", "The import has no failed files imported from a URL.");
  const body = importRequestSchema.parse({
    project_id: job.projectId,
    add_media: Object.fromEntries(
      failed.map((file) => [file.reference, { url: file.sourceUrl, ...languageOf(originalMedia[file.reference]) }]),
    ),
  });
  return submitJob({ type: "import/project_media", body, submittedBy, reimportOfId: job.id });
}

function readOriginalMedia(request: Prisma.JsonValue): Record<string, unknown> {
  const media = typeof request === "object" && request !== null && !Array.isArray(request) ? request.add_media : undefined;
  return typeof media === "object" && media !== null && !Array.isArray(media) ? media : {};
}

function languageOf(item: unknown): { language?: string } {
  const language = typeof item === "object" && item !== null && "language" in item ? item.language : undefined;
  return typeof language === "string" && language !== "" ? { language } : {};
}

async function recordCreateAnswer(jobId: string, answer: CreateJobResponse): Promise<void> {
  await withLockedJob(jobId, async (tx, job) => {
    // A callback may have got here first (#early): then the answer only confirms the ids.
    const decision = decideObservation(job, { state: "queued", progressUpdatedAt: null });
    await updateJob(tx, jobId, {
      upstreamJobId: job.upstreamJobId ?? answer.job_id,
      driveId: job.driveId ?? answer.drive_id ?? null,
      projectId: job.projectId ?? answer.project_id ?? null,
      projectUrl: job.projectUrl ?? answer.project_url ?? null,
      // The answer is the job's first look: the worker schedules it afresh from here (one put on the
      // schedule while its create was in flight was being watched for a lost create, not polled).
      nextPollAt: null,
      ...(decision.verdict === "applied" ? { state: decision.next, upstreamState: "queued" } : {}),
    });
    await appendEvent(tx, jobId, {
      kind: "upstream_answered",
      verdict: decision.verdict,
      httpStatus: 201,
      // Signed upload URLs let anyone holding them write into the project: the client has them, the
      // timeline keeps only which media they were for.
      payload: answer.upload_urls ? { ...answer, upload_urls: Object.keys(answer.upload_urls) } : answer,
      message: `Descript created job ${answer.job_id}`,
    });
  });
}

async function recordCreateFailure(jobId: string, error: unknown): Promise<void> {
  await withLockedJob(jobId, async (tx, job) => {
    if (error instanceof UpstreamHttpError) {
      // A 4xx means upstream created nothing. After a 5xx it may have: the job stays submitting,
      // and a callback, if one comes, still lands on it.
      const isRefusal = error.status < 500 && canReject(job.state);
      const event: NewEvent = {
        kind: "upstream_rejected",
        verdict: isRefusal ? "applied" : undefined,
        httpStatus: error.status,
        payload: error.body,
        message: isRefusal ? error.message : `${error.message}; Descript may still have created the job`,
      };
      if (!isRefusal) return appendEventAndNotify(tx, job, event);
      await updateJob(tx, jobId, { state: "rejected", errorMessage: error.message });
      await appendEvent(tx, jobId, event);
    } else {
      const message = redactText(error instanceof UpstreamUnavailableError ? error.message : String(error));
      await appendEventAndNotify(tx, job, { kind: "upstream_unreachable", message: `${message}; Descript may still have created the job` });
    }
  });
}

export interface ApplyUpstreamJobInput {
  jobId: string;
  job: UpstreamJob;
  source: "callback" | "poll";
  /** What arrived, stored as is on the timeline. */
  raw?: unknown;
  headers?: Record<string, string>;
}

/** Applies one report of upstream's view of a job. Returns null when the job does not exist. */
export async function applyUpstreamJob(input: ApplyUpstreamJobInput): Promise<DeliveryVerdict | null> {
  // Text from upstream goes into text and jsonb columns, neither of which takes a NUL character.
  const job = toStorableJson(input.job) as UpstreamJob;
  const event = (verdict: DeliveryVerdict, message?: string): NewEvent => ({
    kind: input.source === "callback" ? "callback_received" : "poll_result",
    verdict,
    // Only an applied report is kept whole: a replay, however often and however large, keeps a digest.
    payload: verdict === "applied" ? (input.raw ?? job) : summarizeBody(JSON.stringify(input.raw ?? job)),
    headers: input.headers,
    message: message ?? `${job.job_state}${job.result ? `/${job.result.status}` : ""}: ${verdict}`,
  });
  let relayQueued = false;
  const verdict = await applyObservation(input.jobId, job.job_id, (row) => {
    if ((row.upstreamJobId ?? job.job_id) !== job.job_id || (row.upstreamIdOwner !== null && row.upstreamIdOwner !== row.id)) {
      return { result: "rejected" as const, change: { events: [event("rejected", `names job ${job.job_id}, which is not this job`)] } };
    }
    const progressUpdatedAt = job.progress?.last_update_at ? new Date(job.progress.last_update_at) : null;
    const decision = decideObservation(row, { state: job.job_state, progressUpdatedAt });
    if (decision.verdict !== "applied") return { result: decision.verdict, change: { events: [event(decision.verdict)] } };
    const changes = changesFromUpstream(row, job, decision.next);
    const events = [event("applied")];
    if (decision.next === "cancelled") events.push({ kind: "cancelled", message: "the job was cancelled" });
    // The client's callback_url hears the job as it is once this change is written.
    const relay = isTerminal(decision.next) && row.clientCallbackUrl
      ? { url: row.clientCallbackUrl, body: toUpstreamJob({ ...row, ...changes, upstreamJobId: job.job_id }) as Prisma.InputJsonValue }
      : undefined;
    relayQueued = relay !== undefined;
    return { result: "applied" as const, change: { job: changes, files: fileResults(row, job), events, relay } };
  });
  if (relayQueued) kickRelayWorker();
  return verdict;
}

function changesFromUpstream(row: JobWithFiles, job: UpstreamJob, next: JobState): Partial<JobColumns> {
  const result = job.result;
  const outcome = result?.status === "success" || result?.status === "partial" || result?.status === "error" ? result.status : null;
  return {
    state: next,
    upstreamState: job.job_state,
    upstreamJobId: row.upstreamJobId ?? job.job_id,
    type: job.job_type,
    driveId: job.drive_id ?? row.driveId,
    projectId: job.project_id ?? row.projectId,
    projectUrl: job.project_url ?? row.projectUrl,
    upstreamCreatedAt: new Date(job.created_at),
    upstreamStoppedAt: job.stopped_at ? new Date(job.stopped_at) : null,
    // Progress means something only while a job runs; clearing it at the end makes every order of
    // deliveries converge on the same row.
    ...(isTerminal(next)
      ? { progressLabel: null, progressPercent: null, progressUpdatedAt: null }
      : job.progress
        ? {
            progressLabel: job.progress.label ?? null,
            progressPercent: job.progress.percent ?? null,
            progressUpdatedAt: job.progress.last_update_at ? new Date(job.progress.last_update_at) : null,
          }
        : {}),
    ...(result
      ? {
          result: toStorableJson(result) ?? null,
          outcome,
          errorMessage: result.error_message ?? null,
          errorCode: result.error_code ?? null,
          mediaSecondsUsed: result.media_seconds_used ?? null,
          aiCreditsUsed: result.ai_credits_used ?? null,
        }
      : {}),
  };
}

/** Per-file results of an import; when the whole import failed, files without a result failed with it. */
function fileResults(row: JobWithFiles, job: UpstreamJob): FileResult[] {
  const mediaStatus = job.result?.media_status;
  if (mediaStatus) {
    return Object.entries(mediaStatus).map(([reference, file]) => ({
      reference,
      status: file.status === "success" ? ("success" as const) : ("failed" as const),
      durationSeconds: file.duration_seconds ?? null,
      errorMessage: file.error_message ?? null,
    }));
  }
  if (job.result?.status === "error") {
    return row.files
      .filter((file) => file.status === "pending")
      .map((file) => ({ reference: file.reference, status: "failed" as const, durationSeconds: null, errorMessage: job.result?.error_message ?? "the import failed" }));
  }
  return [];
}

/** Asks upstream for a job's state and applies it (a poll). */
export async function refreshJob(jobId: string): Promise<DeliveryVerdict | null> {
  const job = await findJob(jobId);
  if (!job?.upstreamJobId) return null;
  const reported = await getDescriptClient().getJob(job.upstreamJobId);
  return applyUpstreamJob({ jobId, job: reported, source: "poll" });
}

export interface CancelJobInput {
  jobId: string;
  reason?: string;
  /** Asked under the row lock whether they may cancel this job (editors: only their own). */
  requestedBy: Submitter;
  /**
   * Descript's DELETE semantics (the proxy): a job that has ended, or whose cancel is already
   * requested, is left as it is without an error. Decided under the row lock, like every change.
   */
  isEndedOk?: boolean;
}

/**
 * Cancels upstream. The job shows cancel_requested until upstream confirms; if the job finished
 * first, it ends in its true final state, never as cancelled.
 */
export async function cancelJob({ jobId, reason, requestedBy, isEndedOk = false }: CancelJobInput): Promise<void> {
  const requested = await withLockedJob(jobId, async (tx, job) => {
    if (!canCancelJob(requestedBy, job)) throw new AppError("forbidden", `The ${requestedBy.role} role may cancel only jobs it submitted itself.`);
    if (isEndedOk && (isTerminal(job.state) || job.state === "cancel_requested")) return "nothing to do" as const;
    if (!canRequestCancel(job.state) || !job.upstreamJobId) {
      throw new AppError("conflict", `The job is ${job.state.replace("_", " ")}; only queued or running jobs can be cancelled.`);
    }
    await updateJob(tx, jobId, { state: "cancel_requested", cancelRequestedAt: new Date(), cancelReason: reason ?? null });
    // Who and why, for good: the timeline is the record of every destructive action.
    const by = `${requestedBy.label} (${requestedBy.role})`;
    await appendEvent(tx, jobId, {
      kind: "cancel_requested",
      payload: { by: requestedBy.label, role: requestedBy.role, reason: reason ?? null },
      message: reason ? `by ${by}: ${reason}` : `by ${by}`,
    });
    return { before: job.state, upstreamJobId: job.upstreamJobId };
  });
  if (!requested) throw new AppError("not_found", "No such job.");
  if (requested === "nothing to do") return;

  const client = getDescriptClient();
  try {
    await client.cancelJob(requested.upstreamJobId);
  } catch (error) {
    await settleFailedCancel(jobId, requested, error);
    throw error;
  }
  await withLockedJob(jobId, (tx, job) =>
    appendEventAndNotify(tx, job, { kind: "cancel_accepted", httpStatus: 204, message: "Descript accepted the cancel" }),
  );
  // Confirm by reading back; if that fails the job stays cancel_requested until a callback or poll settles it.
  await refreshJob(jobId).catch(() => null);
}

/**
 * Upstream refused the DELETE. Often the job simply finished first: what upstream reports now is
 * the truth to keep. Only if it still reports the job active does the job leave cancel_requested,
 * back to that state (or to where it was, when upstream cannot be asked).
 */
async function settleFailedCancel(jobId: string, requested: { before: JobState; upstreamJobId: string }, error: unknown): Promise<void> {
  try {
    const reported = await getDescriptClient().getJob(requested.upstreamJobId).catch(() => null);
    if (reported) await applyUpstreamJob({ jobId, job: reported, source: "poll" });
    await withLockedJob(jobId, async (tx, job) => {
      const event: NewEvent = {
        kind: "cancel_failed",
        httpStatus: error instanceof UpstreamHttpError ? error.status : undefined,
        payload: error instanceof UpstreamHttpError ? error.body : undefined,
        message: redactText((error as Error).message),
      };
      if (job.state !== "cancel_requested") return appendEventAndNotify(tx, job, event);
      const next = stateAfterFailedCancel(reported?.job_state ?? null, requested.before);
      await updateJob(tx, jobId, { state: next, cancelRequestedAt: null });
      await appendEvent(tx, jobId, { ...event, message: `${event.message}; the job is ${next} again` });
    });
  } catch (settleError) {
    // The caller reports the upstream error; this one only reaches the log.
    logEvent("error", "failed_cancel_not_settled", { jobId, error: (settleError as Error).message });
  }
}
