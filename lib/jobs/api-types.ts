// The console's own JSON API (/api/jobs…): query schemas and answer types. Client-safe: the
// browser's hooks and the server's handlers share this one definition.
import { z } from "zod";
import { JOB_STATES, type JobState } from "./state-machine";

export const JOB_OUTCOMES = ["success", "partial", "error"] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

export const JOB_SORTS = ["created_desc", "created_asc", "updated_desc"] as const;
export type JobSort = (typeof JOB_SORTS)[number];

const optionalText = z.string().trim().min(1).max(200).optional();

export const jobListQuerySchema = z.strictObject({
  state: z.enum(JOB_STATES).optional(),
  outcome: z.enum(JOB_OUTCOMES).optional(),
  type: optionalText,
  project: optionalText,
  /** Free text over job ids, project id and name, and file names. */
  q: optionalText,
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  sort: z.enum(JOB_SORTS).default("created_desc"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
export type JobListQuery = z.input<typeof jobListQuerySchema>;
export type JobListFilters = Omit<z.output<typeof jobListQuerySchema>, "cursor">;

/** A job is named by Jobdeck's id or by Descript's job_id (what people paste from logs). */
export const jobKeySchema = z.string().trim().min(1).max(200);

export const jobEventsQuerySchema = z.strictObject({
  /** The id of the last event of the previous page. */
  cursor: z.string().regex(/^\d{1,19}$/, "must be a cursor this list gave out").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type JobEventsQuery = z.input<typeof jobEventsQuerySchema>;

export const cancelJobBodySchema = z.strictObject({
  reason: z.string().trim().max(500).optional(),
});

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
  submittedBy: string;
  cancelRequestedAt: string | null;
  createdAt: string;
  updatedAt: string;
  upstreamCreatedAt: string | null;
  upstreamStoppedAt: string | null;
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
  events: JobEventView[];
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
