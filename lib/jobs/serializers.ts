// Turns stored rows into what each audience reads: Descript's own job object for the proxy and
// relayed callbacks, and the console's summary and detail for the UI.
import { z } from "zod";
import type { UpstreamJob } from "@/lib/descript/schemas";
import type { JobDetail, JobEventView, JobOutcome, JobSummary } from "./api-types";
import { isTerminal, type JobState } from "./state-machine";

// Structural row types (what Prisma returns), so this module stays free of server-only imports.
interface FileRow {
  reference: string;
  sourceUrl: string | null;
  status: "pending" | "success" | "failed";
  durationSeconds: number | null;
  errorMessage: string | null;
}

export interface JobRowForView {
  id: string;
  upstreamJobId: string | null;
  type: string;
  state: JobState;
  upstreamState: "queued" | "running" | "stopped" | "cancelled" | null;
  outcome: JobOutcome | null;
  driveId: string | null;
  projectId: string | null;
  projectName: string | null;
  projectUrl: string | null;
  progressLabel: string | null;
  progressPercent: number | null;
  progressUpdatedAt: Date | null;
  result: unknown;
  errorMessage: string | null;
  errorCode: string | null;
  mediaSecondsUsed: number | null;
  aiCreditsUsed: number | null;
  request: unknown;
  submittedBy: string;
  submitterId: string | null;
  clientCallbackUrl: string | null;
  cancelReason: string | null;
  cancelRequestedAt: Date | null;
  upstreamCreatedAt: Date | null;
  upstreamStoppedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Timeline entries not kept once the job reached its cap. */
  droppedEvents?: number;
  /** Set by the background worker (lib/worker) when the job stopped making progress. */
  stuckSince?: Date | null;
  stuckReason?: string | null;
  reimportOfId?: string | null;
  files: FileRow[];
}

interface EventRow {
  id: bigint;
  kind: string;
  verdict: JobEventView["verdict"];
  payload: unknown;
  headers: unknown;
  httpStatus: number | null;
  message: string | null;
  createdAt: Date;
}

/** The job as Descript's GET /jobs/{job_id} would answer it (only for jobs upstream knows). */
export function toUpstreamJob(job: JobRowForView & { upstreamJobId: string }): UpstreamJob {
  const upstreamState = job.upstreamState ?? "queued";
  return {
    job_id: job.upstreamJobId,
    job_type: job.type,
    job_state: upstreamState,
    created_at: (job.upstreamCreatedAt ?? job.createdAt).toISOString(),
    ...(job.upstreamStoppedAt ? { stopped_at: job.upstreamStoppedAt.toISOString() } : {}),
    ...(job.driveId ? { drive_id: job.driveId } : {}),
    ...(job.projectId ? { project_id: job.projectId } : {}),
    ...(job.projectUrl ? { project_url: job.projectUrl } : {}),
    ...(upstreamState === "running" && job.progressLabel !== null
      ? {
          progress: {
            label: job.progressLabel,
            ...(job.progressPercent !== null ? { percent: job.progressPercent } : {}),
            ...(job.progressUpdatedAt ? { last_update_at: job.progressUpdatedAt.toISOString() } : {}),
          },
        }
      : {}),
    ...(upstreamState === "stopped" && job.result ? { result: job.result as UpstreamJob["result"] } : {}),
  };
}

/** What a summary shows of a job: its own columns and how many of its files stand where, not the files. */
export type JobSummaryRow = Pick<
  JobRowForView,
  | "id" | "upstreamJobId" | "type" | "state" | "outcome" | "projectId" | "projectName" | "projectUrl"
  | "progressLabel" | "progressPercent" | "progressUpdatedAt" | "errorMessage" | "submittedBy" | "submitterId"
  | "cancelRequestedAt" | "createdAt" | "updatedAt" | "upstreamCreatedAt" | "upstreamStoppedAt" | "stuckSince" | "stuckReason"
> & { fileCounts: JobSummary["fileCounts"] };

export function countFiles(files: Array<Pick<FileRow, "status">>): JobSummary["fileCounts"] {
  const count = (status: FileRow["status"]) => files.filter((file) => file.status === status).length;
  return { total: files.length, succeeded: count("success"), failed: count("failed"), pending: count("pending") };
}

export function toJobSummary(job: JobSummaryRow): JobSummary {
  return {
    id: job.id,
    upstreamJobId: job.upstreamJobId,
    type: job.type,
    state: job.state,
    outcome: job.outcome,
    projectId: job.projectId,
    projectName: job.projectName,
    projectUrl: job.projectUrl,
    progress:
      job.state === "running" && job.progressLabel !== null
        ? { label: job.progressLabel, percent: job.progressPercent, updatedAt: iso(job.progressUpdatedAt) }
        : null,
    errorMessage: job.errorMessage,
    fileCounts: job.fileCounts,
    submittedBy: job.submittedBy,
    submitterId: job.submitterId,
    cancelRequestedAt: iso(job.cancelRequestedAt),
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    upstreamCreatedAt: iso(job.upstreamCreatedAt),
    upstreamStoppedAt: iso(job.upstreamStoppedAt),
    // Only an active job can be stuck; an ended one keeps no stale flag.
    stuckSince: isTerminal(job.state) ? null : iso(job.stuckSince ?? null),
    stuckReason: isTerminal(job.state) ? null : (job.stuckReason ?? null),
  };
}

/** `events` is the first page of the timeline; `eventsNextCursor` (an event id) asks for the next. */
export function toJobDetail(
  job: JobRowForView,
  events: EventRow[],
  extra: { eventsNextCursor: string | null; reimportIds: string[]; expiresAt: Date },
): JobDetail {
  return {
    ...toJobSummary({ ...job, fileCounts: countFiles(job.files) }),
    request: job.request,
    result: job.result,
    errorCode: job.errorCode,
    mediaSecondsUsed: job.mediaSecondsUsed,
    aiCreditsUsed: job.aiCreditsUsed,
    cancelReason: job.cancelReason,
    hasClientCallback: job.clientCallbackUrl !== null,
    files: job.files.map((file) => ({
      reference: file.reference,
      sourceUrl: file.sourceUrl,
      status: file.status,
      durationSeconds: file.durationSeconds,
      errorMessage: file.errorMessage,
    })),
    events: events.map(toJobEventView),
    eventsNextCursor: extra.eventsNextCursor,
    droppedEvents: job.droppedEvents ?? 0,
    reimportOfId: job.reimportOfId ?? null,
    reimportIds: extra.reimportIds,
    expiresAt: extra.expiresAt.toISOString(),
  };
}

export function toJobEventView(event: EventRow): JobEventView {
  return {
    id: event.id.toString(),
    kind: event.kind,
    verdict: event.verdict,
    payload: event.payload,
    headers: event.headers,
    httpStatus: event.httpStatus,
    message: event.message,
    createdAt: event.createdAt.toISOString(),
  };
}

/**
 * Opaque keyset cursors: the order they were made for, and the sort value and id of the last row
 * of a page. A cursor used with another order, or tampered with, decodes to null.
 */
export function encodeCursor(order: string, at: Date, id: string): string {
  return Buffer.from(JSON.stringify([order, at.toISOString(), id])).toString("base64url");
}

export function decodeCursor(cursor: string, order: string): { at: Date; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [madeFor, time, id] = value as unknown[];
    if (madeFor !== order || typeof time !== "string" || typeof id !== "string" || !z.uuid().safeParse(id).success) return null;
    const at = new Date(time);
    return Number.isNaN(at.getTime()) ? null : { at, id };
  } catch {
    return null;
  }
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
