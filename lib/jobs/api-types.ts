// The console's own JSON API (/api/jobs…): query schemas and answer types. Client-safe: the
// browser's hooks and the server's handlers share this one definition.
import { z } from "zod";
import { JOB_STATES, type JobState } from "./state-machine";

export const JOB_OUTCOMES = ["success", "partial", "error"] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

export const JOB_SORTS = ["created_desc", "created_asc", "updated_desc"] as const;
export type JobSort = (typeof JOB_SORTS)[number];

// Postgres text holds no NUL character, so one in a filter could only make the query fail.
const optionalText = z.string().trim().min(1).max(200).refine((text) => !text.includes("\u0000"), "must not contain NUL characters").optional();

/** The most jobs one request may name: a page's worth, so a list by ids stays one cheap query. */
export const MAX_JOB_IDS = 100;

/** Comma-separated Jobdeck job ids (the live table fetches just the jobs that changed). */
const jobIdList = z
  .string()
  .transform((text) => text.split(",").map((id) => id.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.uuid()).min(1).max(MAX_JOB_IDS));

export const jobListQuerySchema = z.strictObject({
  state: z.enum(JOB_STATES).optional(),
  outcome: z.enum(JOB_OUTCOMES).optional(),
  type: optionalText,
  project: optionalText,
  /** Free text over job ids, project id and name, and file names. */
  q: optionalText,
  /** Only these jobs (still subject to every other filter). */
  ids: jobIdList.optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  sort: z.enum(JOB_SORTS).default("created_desc"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
export type JobListQuery = z.input<typeof jobListQuerySchema>;
export type JobListFilters = Omit<z.output<typeof jobListQuerySchema>, "cursor">;

const cancelReason = z.string().trim().max(500).optional();

/** A job is named by Jobdeck's id or by Descript's job_id (what people paste from logs). */
export const jobKeySchema = z.string().trim().min(1).max(200);

export const jobEventsQuerySchema = z.strictObject({
  /** The id of the last event of the previous page. */
  cursor: z.string().regex(/^\d{1,19}$/, "must be a cursor this list gave out").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type JobEventsQuery = z.input<typeof jobEventsQuerySchema>;

export const cancelJobBodySchema = z.strictObject({
  reason: cancelReason,
});

/** POST /api/jobs/cancel: exactly these jobs, each cancelled on its own. */
export const cancelJobsBodySchema = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(MAX_JOB_IDS).refine((ids) => new Set(ids).size === ids.length, "must not repeat an id"),
  reason: cancelReason,
});

/** One job's outcome in a bulk cancel: the job as it is now, or why it could not be cancelled. */
export type CancelJobResult =
  | { id: string; ok: true; job: JobSummary }
  | { id: string; ok: false; error: { code: string; status: number; detail: string } };

export interface CancelJobsAnswer {
  results: CancelJobResult[];
}

export interface JobProgress {
  label: string | null;
  percent: number | null;
  updatedAt: string | null;
}

export interface JobSummary {
  id: string;
  upstreamJobId: string | null;
  type: string;
  state: JobState;
  outcome: JobOutcome | null;
  projectId: string | null;
  projectName: string | null;
  projectUrl: string | null;
  progress: JobProgress | null;
  errorMessage: string | null;
  fileCounts: { total: number; succeeded: number; failed: number; pending: number };
  /** A person's email or `key:<name>` (jobs from before sign-in: "api" or "console"). */
  submittedBy: string;
  /** `user:<id>` or `key:<id>`: who may cancel it as its submitter (lib/auth/permissions.ts). */
  submitterId: string | null;
  cancelRequestedAt: string | null;
  createdAt: string;
  updatedAt: string;
  upstreamCreatedAt: string | null;
  upstreamStoppedAt: string | null;
  /** When the background worker found the job stuck (no new progress, or far longer than usual), and why. */
  stuckSince: string | null;
  stuckReason: string | null;
}

export interface JobFileView {
  reference: string;
  sourceUrl: string | null;
  status: "pending" | "success" | "failed";
  durationSeconds: number | null;
  errorMessage: string | null;
}

export interface JobEventView {
  id: string;
  kind: string;
  verdict: "applied" | "duplicate" | "stale" | "rejected" | null;
  payload: unknown;
  headers: unknown;
  httpStatus: number | null;
  message: string | null;
  createdAt: string;
}

export interface JobDetail extends JobSummary {
  request: unknown;
  result: unknown;
  errorCode: string | null;
  mediaSecondsUsed: number | null;
  aiCreditsUsed: number | null;
  cancelReason: string | null;
  hasClientCallback: boolean;
  files: JobFileView[];
  /** One page of the timeline, oldest first. */
  events: JobEventView[];
  /** Pass as `cursor` to /api/jobs/{id}/events for the rest of the timeline; null when this is all. */
  eventsNextCursor: string | null;
  /** Timeline entries not kept: the job reached its cap (replayed deliveries, for example). */
  droppedEvents: number;
  /** The import whose failed files this job imports again, and the jobs that re-imported this one's. */
  reimportOfId: string | null;
  reimportIds: string[];
  /** When Jobdeck forgets this job (JOB_RETENTION_DAYS after creation); Descript's project is unaffected. */
  expiresAt: string;
}

export interface JobEventPage {
  data: JobEventView[];
  nextCursor: string | null;
}

export interface JobListPage {
  data: JobSummary[];
  nextCursor: string | null;
}
