// The console's job list as SQL, apart from the code that runs it so that the bench's baseline
// (scripts/bench.ts) runs exactly the statements the app runs (docs/decisions/0015).
import { z } from "zod";
import type { JobListFilters, JobSort } from "./api-types";

export interface Keyset {
  at: Date;
  id: string;
}

export interface Statement {
  text: string;
  values: unknown[];
}

/** Each sort as SQL: its column and direction; "past the cursor" is < when descending. */
const SORT_SQL: Record<JobSort, { column: string; direction: "ASC" | "DESC" }> = {
  created_desc: { column: "created_at", direction: "DESC" },
  created_asc: { column: "created_at", direction: "ASC" },
  updated_desc: { column: "updated_at", direction: "DESC" },
};

/** What the list shows of each job, named as toJobSummary reads it (a JobSummaryRow). */
const SUMMARY_COLUMNS = `
  j.id, j.upstream_job_id AS "upstreamJobId", j.type, j.state, j.outcome, j.project_id AS "projectId",
  j.project_name AS "projectName", j.project_url AS "projectUrl", j.progress_label AS "progressLabel",
  j.progress_percent AS "progressPercent", j.progress_updated_at AS "progressUpdatedAt", j.error_message AS "errorMessage",
  j.submitted_by AS "submittedBy", j.submitter_id AS "submitterId", j.cancel_requested_at AS "cancelRequestedAt",
  j.created_at AS "createdAt", j.updated_at AS "updatedAt", j.upstream_created_at AS "upstreamCreatedAt",
  j.upstream_stopped_at AS "upstreamStoppedAt", j.stuck_since AS "stuckSince", j.stuck_reason AS "stuckReason",
  json_build_object('total', f.total, 'succeeded', f.succeeded, 'failed', f.failed, 'pending', f.pending) AS "fileCounts"`;

/** A job's files counted by status, from the (job_id, reference) index: a summary never reads the files. */
const FILE_COUNTS = `
  SELECT count(*)::int AS total,
         count(*) FILTER (WHERE status = 'success')::int AS succeeded,
         count(*) FILTER (WHERE status = 'failed')::int AS failed,
         count(*) FILTER (WHERE status = 'pending')::int AS pending
  FROM job_files WHERE job_id = j.id`;

/** The jobs whose whole id or upstream id `text` is, through the unique indexes. */
export function jobsNamedByStatement(text: string): Statement {
  return z.uuid().safeParse(text).success
    ? { text: "SELECT id FROM jobs WHERE upstream_job_id = $1 OR id = $2::uuid", values: [text, text.toLowerCase()] }
    : { text: "SELECT id FROM jobs WHERE upstream_job_id = $1", values: [text] };
}

/**
 * One page of the list: filters, then keyset paging on (sort column, id), one row over to know if
 * more follow; each row as the list shows it, its files counted rather than read. The cursor is a
 * row comparison that matches the (column, id) indexes, so a deep page is one index range like the
 * first.
 *
 * `named` holds the jobs free text names by a whole id (jobsNamedByStatement): when there are any,
 * they are the answer. Other free text is the union of one page per place the text may appear (the
 * ids, the project, the file names), each ordered and limited on its own: Postgres then picks, for
 * each, between its trigram index (rare text) and walking the sort's index until the page is full
 * (common text), which one OR over every place would not let it do.
 */
export function jobListStatement(query: JobListFilters, after: Keyset | null, named: string[]): Statement {
  const { column, direction } = SORT_SQL[query.sort];
  const orderBy = (table = "") => `${table}${column} ${direction}, ${table}id ${direction}`;
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const conditions: string[] = [];
  if (query.ids) conditions.push(`id = ANY(${param(query.ids)}::uuid[])`);
  if (named.length > 0) conditions.push(`id = ANY(${param(named)}::uuid[])`);
  if (query.state) conditions.push(`state = ${param(query.state)}::"JobState"`);
  if (query.outcome) conditions.push(`outcome = ${param(query.outcome)}::"JobOutcome"`);
  if (query.type) conditions.push(`type = ${param(query.type)}`);
  if (query.project) conditions.push(`(project_id = ${param(query.project)} OR ${projectNameContains(param(containing(query.project)))})`);
  if (query.createdFrom) conditions.push(`created_at >= ${param(new Date(query.createdFrom))}::timestamptz`);
  if (query.createdTo) conditions.push(`created_at < ${param(new Date(query.createdTo))}::timestamptz`);
  if (after) conditions.push(`(${column}, id) ${direction === "DESC" ? "<" : ">"} (${param(after.at)}::timestamptz, ${param(after.id)}::uuid)`);
  const limit = param(query.limit + 1);
  const pageOf = (...more: string[]) =>
    `SELECT id, ${column} FROM jobs WHERE ${[...conditions, ...more].join(" AND ") || "TRUE"} ORDER BY ${orderBy()} LIMIT ${limit}`;
  let page = pageOf();
  if (query.q && named.length === 0) {
    const pattern = param(containing(query.q));
    const places = [
      `upstream_job_id ILIKE ${pattern}`,
      `project_id ILIKE ${pattern}`,
      projectNameContains(pattern),
      `id IN (SELECT job_id FROM job_files WHERE reference ILIKE ${pattern})`,
    ];
    page = `SELECT id, ${column} FROM (${places.map((place) => `(${pageOf(place)})`).join(" UNION ")}) AS matched ORDER BY ${orderBy()} LIMIT ${limit}`;
  }
  return {
    text: `SELECT ${SUMMARY_COLUMNS} FROM (${page}) AS page JOIN jobs j USING (id) CROSS JOIN LATERAL (${FILE_COUNTS}) AS f ORDER BY ${orderBy("page.")}`,
    values,
  };
}

/** Jobs whose project name matches `pattern`, found among the distinct names (the project_names table). */
function projectNameContains(pattern: string): string {
  return `project_name IN (SELECT name FROM project_names WHERE name ILIKE ${pattern})`;
}

/** A case-insensitive substring pattern; a user's % or _ matches itself, not everything. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}
