// The sandbox's job model and its public view: the exact JSON that GET /jobs/{id}, GET /jobs and
// callbacks carry.
import { randomUUID } from "node:crypto";
import { toIso } from "./clock";
import type { JobScenario, MediaBehaviour } from "./scenarios";

export type JobType = "import/project_media" | "agent" | "publish";
export type JobState = "queued" | "running" | "stopped" | "cancelled";

/** The one Drive the sandbox token is bound to; constant so that clients may pin it in fixtures. */
export const DRIVE = { id: "7b0c2f8e-3d51-4a9c-8e26-5f1d0a4b9c37", name: "Sandbox Drive" } as const;

export interface ImportedMedia {
  ref: string;
  source: "url" | "upload" | "multitrack";
  behaviour: MediaBehaviour;
}

export type JobSpec =
  | { type: "import/project_media"; media: ImportedMedia[]; compositionNames: string[] }
  | { type: "agent"; prompt: string; conversationId: string; resolvedModel: string }
  | { type: "publish"; compositionId: string; mediaType: "Video" | "Audio" };

export type MediaStatus = { status: "success"; duration_seconds: number } | { status: "failed"; error_message: string };

export type JobResult =
  | {
      status: "success" | "partial";
      media_status: Record<string, MediaStatus>;
      media_seconds_used: number;
      created_compositions?: { id: string; name: string }[];
    }
  | {
      status: "success";
      agent_response: string;
      project_changed: boolean;
      ai_credits_used: number;
      conversation_id: string;
      resolved_model: string;
    }
  | {
      status: "success";
      composition_id: string;
      share_url: string;
      download_url: string;
      download_url_expires_at: string;
      media_type: "Video" | "Audio";
    }
  | { status: "error"; error_message: string };

export interface JobRecord {
  id: string;
  /** Creation order; the keyset that list cursors point into. */
  seq: number;
  projectId: string;
  createdAt: number;
  spec: JobSpec;
  scenario: JobScenario;
  callbackUrl?: string;
  state: JobState;
  runningAt?: number;
  /** When the work itself began: later than runningAt while a direct upload is still awaited. */
  processingAt?: number;
  /** How long the work lasts on the sandbox clock, already divided by speed. */
  processingMs: number;
  pendingUploads: Set<string>;
  stoppedAt?: number;
  result?: JobResult;
}

export interface JobProgress {
  label: string;
  percent: number;
  last_update_at: string;
}

export interface JobView {
  job_id: string;
  job_type: JobType;
  job_state: JobState;
  created_at: string;
  stopped_at?: string;
  drive_id: string;
  project_id: string;
  project_url: string;
  progress?: JobProgress;
  result?: JobResult;
}

const JOB_ID_PREFIXES: Record<JobType, (projectId: string) => string> = {
  "import/project_media": () => "project-media-import-",
  agent: (projectId) => `project-agent-edit-${projectId}-`,
  publish: (projectId) => `project-media-publish-${projectId}-`,
};

/** Live job ids are prefixed strings, not the UUIDs the OpenAPI promises. */
export function createJobId(type: JobType, projectId: string): string {
  return `${JOB_ID_PREFIXES[type](projectId)}${randomUUID()}`;
}

export function toProjectUrl(projectId: string): string {
  return `https://web.descript.com/${projectId}`;
}

export function isActive(job: JobRecord): boolean {
  return job.state === "queued" || job.state === "running";
}

export function toJobView(job: JobRecord, now: number): JobView {
  return {
    job_id: job.id,
    job_type: job.spec.type,
    job_state: job.state,
    created_at: toIso(job.createdAt),
    ...(job.stoppedAt !== undefined && { stopped_at: toIso(job.stoppedAt) }),
    drive_id: DRIVE.id,
    project_id: job.projectId,
    project_url: toProjectUrl(job.projectId),
    ...(job.state === "running" && { progress: describeProgress(job, now) }),
    ...(job.state === "stopped" && job.result && { result: job.result }),
  };
}

const PROGRESS_LABELS: Record<JobType, readonly [string, string, string]> = {
  "import/project_media": ["Downloading media", "Transcribing", "Finalizing import"],
  agent: ["Planning edits", "Editing project", "Reviewing changes"],
  publish: ["Rendering", "Uploading", "Publishing"],
};

/** Where a #stall job's progress freezes, as a share of its planned work. */
const STALL_POINT = 0.3;

/**
 * Progress is derived from the clock when read rather than ticked by timers: it moves while the
 * job works, never reaches 100 before the job stops, and `last_update_at` is when the percentage
 * last changed.
 */
export function describeProgress(job: JobRecord, now: number): JobProgress {
  if (job.processingAt === undefined) {
    return { label: "Waiting for upload", percent: 0, last_update_at: toIso(job.runningAt ?? job.createdAt) };
  }
  const plannedMs = Math.max(job.processingMs, 1);
  const reachableMs = job.scenario.outcome === "stall" ? plannedMs * STALL_POINT : plannedMs;
  const elapsedMs = Math.min(Math.max(now - job.processingAt, 0), reachableMs);
  const percent = Math.min(99, Math.floor((elapsedMs / plannedMs) * 100));
  const labels = PROGRESS_LABELS[job.spec.type];
  return {
    label: labels[Math.min(2, Math.floor(percent / 34))] ?? labels[0],
    percent,
    last_update_at: toIso(job.processingAt + Math.floor((percent * plannedMs) / 100)),
  };
}
