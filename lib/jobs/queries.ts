import "server-only";
// Reads for the console and the proxy. They answer from Jobdeck's store and cost no upstream call.
import type { ListJobsQuery, JobListResponse, UpstreamJob } from "@/lib/descript/schemas";
import { getEnv } from "@/lib/server/env";
import { AppError } from "@/lib/server/errors";
import type { JobDetail, JobEventPage, JobListFilters, JobListPage } from "./api-types";
import {
  findJobByAnyId,
  findJobByUpstreamId,
  findJobEvents,
  findReimportIds,
  listJobs,
  listUpstreamJobs,
  type JobWithFiles,
} from "./repository";
import { decodeCursor, encodeCursor, toJobDetail, toJobEventView, toJobSummary, toUpstreamJob } from "./serializers";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The oldest creation time the proxy still answers for, as upstream forgets jobs after retention. */
function retentionStart(now: number): number {
  return now - getEnv().jobRetentionDays * DAY_MS;
}

/** The order Descript's GET /jobs lists in. */
const UPSTREAM_ORDER = "created_desc";

function readCursor(cursor: string | undefined, order: string) {
  if (cursor === undefined) return null;
  const decoded = decodeCursor(cursor, order);
  if (!decoded) throw new AppError("invalid_input", '"cursor" is not a cursor this list gave out');
  return decoded;
}

export async function listJobsPage(query: JobListFilters & { cursor?: string }): Promise<JobListPage> {
  const { cursor, ...filters } = query;
  const { rows, hasMore } = await listJobs(filters, readCursor(cursor, query.sort));
  const last = rows.at(-1);
  const sortedAt = (row: NonNullable<typeof last>) => (query.sort === "updated_desc" ? row.updatedAt : row.createdAt);
  return { data: rows.map(toJobSummary), nextCursor: hasMore && last ? encodeCursor(query.sort, sortedAt(last), last.id) : null };
}

/** Timeline entries in a detail answer; the rest are read page by page from /api/jobs/{id}/events. */
export const EVENTS_PAGE_SIZE = 100;

/** A job by Jobdeck's id or Descript's job_id; not_found when neither names one. */
export async function getJobByKey(key: string): Promise<JobWithFiles> {
  const job = await findJobByAnyId(key);
  if (!job) throw new AppError("not_found", `No job ${key}.`);
  return job;
}

/** When this record leaves Jobdeck (the project in Descript is unaffected). */
export function recordExpiresAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + getEnv().jobRetentionDays * DAY_MS);
}

export async function getJobDetail(key: string): Promise<JobDetail> {
  const job = await getJobByKey(key);
  const [events, reimportIds] = await Promise.all([findJobEvents(job.id, { afterId: null, limit: EVENTS_PAGE_SIZE }), findReimportIds(job.id)]);
  return toJobDetail(job, events.rows, {
    eventsNextCursor: nextEventCursor(events),
    reimportIds,
    expiresAt: recordExpiresAt(job.createdAt),
  });
}

/** A job's timeline, oldest first, in keyset pages (new events only ever append). */
export async function listJobEventsPage(key: string, query: { cursor?: string; limit: number }): Promise<JobEventPage> {
  const job = await getJobByKey(key);
  const events = await findJobEvents(job.id, { afterId: query.cursor === undefined ? null : BigInt(query.cursor), limit: query.limit });
  return { data: events.rows.map(toJobEventView), nextCursor: nextEventCursor(events) };
}

function nextEventCursor({ rows, hasMore }: { rows: Array<{ id: bigint }>; hasMore: boolean }): string | null {
  const last = rows.at(-1);
  return hasMore && last ? last.id.toString() : null;
}

/** A job by upstream id, as upstream would answer; like upstream, nothing past the retention window. */
export async function findUpstreamJob(upstreamJobId: string) {
  // No stored id holds a NUL character (Postgres text cannot), and asking for one would fail the query.
  const job = upstreamJobId.includes("\u0000") ? null : await findJobByUpstreamId(upstreamJobId);
  if (!job || job.createdAt.getTime() < retentionStart(Date.now())) {
    throw new AppError("not_found", `No job found for job_id "${upstreamJobId}".`);
  }
  return job;
}

export async function getUpstreamJob(upstreamJobId: string): Promise<UpstreamJob> {
  const job = await findUpstreamJob(upstreamJobId);
  return toUpstreamJob({ ...job, upstreamJobId });
}

/** GET /jobs with Descript's semantics: default window 7 days, none older than retention, newest first. */
export async function listUpstreamJobsPage(query: ListJobsQuery): Promise<JobListResponse> {
  const now = Date.now();
  const requestedAfter = query.created_after ? Date.parse(query.created_after) : now - 7 * DAY_MS;
  const { rows, hasMore } = await listUpstreamJobs({
    projectId: query.project_id,
    type: query.type,
    createdAfter: new Date(Math.max(requestedAfter, retentionStart(now))),
    createdBefore: query.created_before ? new Date(query.created_before) : undefined,
    limit: query.limit,
    after: readCursor(query.cursor, UPSTREAM_ORDER),
  });
  const last = rows.at(-1);
  return {
    data: rows.map((row) => toUpstreamJob({ ...row, upstreamJobId: row.upstreamJobId! })),
    pagination: hasMore && last ? { next_cursor: encodeCursor(UPSTREAM_ORDER, last.createdAt, last.id) } : {},
  };
}
