// GET /jobs: newest first, filtered by project, type and a created_at window, paged by keyset.
// The cursor pins both the last job seen and the window of the first page, so paging never
// repeats or skips a job even while new jobs are created (they sort before the cursor).
import { z } from "zod";
import { invalidInput } from "./errors";
import type { JobRecord } from "./jobs";
import type { ListJobsQuery } from "../descript/schemas";

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_LOOKBACK_MS = 7 * DAY_MS;
const MAX_LOOKBACK_MS = 30 * DAY_MS;

interface CursorPosition {
  /** Sequence of the last job already returned. */
  seq: number;
  after: number;
  before: number;
}

const cursorSchema = z.strictObject({ seq: z.int().min(0), after: z.number(), before: z.number() });

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw invalidInput('"cursor" is invalid');
  }
}

export function listJobPage(options: {
  jobsOldestFirst: readonly JobRecord[];
  query: ListJobsQuery;
  now: number;
}): { jobs: JobRecord[]; nextCursor?: string } {
  const { jobsOldestFirst, query, now } = options;
  const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const window = position ? { after: position.after, before: position.before } : resolveWindow(query, now);
  const page: JobRecord[] = [];
  for (let index = jobsOldestFirst.length - 1; index >= 0 && page.length <= query.limit; index -= 1) {
    const job = jobsOldestFirst[index];
    if (!job || (position && job.seq >= position.seq)) continue;
    if (job.createdAt < window.after || job.createdAt > window.before) continue;
    if (query.project_id !== undefined && job.projectId !== query.project_id) continue;
    if (query.type !== undefined && job.spec.type !== query.type) continue;
    page.push(job);
  }
  const hasMore = page.length > query.limit;
  const jobs = page.slice(0, query.limit);
  const last = jobs.at(-1);
  return hasMore && last ? { jobs, nextCursor: encodeCursor({ seq: last.seq, ...window }) } : { jobs };
}

/** Default window: the last 7 days; an earlier created_after is clamped to 30 days ago. */
function resolveWindow(query: ListJobsQuery, now: number): { after: number; before: number } {
  const requestedAfter = query.created_after === undefined ? now - DEFAULT_LOOKBACK_MS : Date.parse(query.created_after);
  return {
    after: Math.max(requestedAfter, now - MAX_LOOKBACK_MS),
    before: query.created_before === undefined ? now : Date.parse(query.created_before),
  };
}
