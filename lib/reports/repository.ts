import "server-only";
// Report queries over the job history: the jobs still kept, and for usage also the sweep's daily
// rollups of the jobs it has deleted (docs/decisions/0014), so a year of trends outlives raw rows.
import { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/server/db";
import { FAILURE_FILES_PER_GROUP, type FailureReport, type ReportQuery, type UsageDay, type UsageReport } from "./api-types";

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_FAILURE_GROUPS = 100;

/** The first UTC midnight of a range of `days` days ending today. */
function rangeStart(days: number, now: Date): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

/** Failed files of imports that ended partial or error, grouped by their error message, most files first. */
export async function getFailureReport({ days }: ReportQuery, now = new Date()): Promise<FailureReport> {
  const failed = Prisma.sql`
    SELECT f.reference, f.source_url, coalesce(nullif(f.error_message, ''), 'no error message given') AS message,
           j.id AS job_id, j.upstream_job_id, j.project_id, j.project_name, j.outcome::text AS outcome, j.created_at
    FROM job_files f JOIN jobs j ON j.id = f.job_id
    WHERE f.status = 'failed' AND j.type = 'import/project_media' AND j.outcome IN ('partial', 'error')
      AND j.created_at >= ${rangeStart(days, now)}`;
  const db = getDb();
  const groups = await db.$queryRaw<Array<{ message: string; file_count: number; job_count: number; last_seen_at: Date }>>`
    WITH failed AS (${failed})
    SELECT message, count(*)::int AS file_count, count(DISTINCT job_id)::int AS job_count, max(created_at) AS last_seen_at
    FROM failed GROUP BY message ORDER BY file_count DESC, message LIMIT ${MAX_FAILURE_GROUPS}`;
  if (groups.length === 0) return { days, groups: [] };
  const files = await db.$queryRaw<
    Array<{ message: string; reference: string; source_url: string | null; job_id: string; upstream_job_id: string | null; project_id: string | null; project_name: string | null; outcome: "partial" | "error"; created_at: Date }>
  >`
    WITH failed AS (${failed})
    SELECT * FROM (
      SELECT failed.*, row_number() OVER (PARTITION BY message ORDER BY created_at DESC, job_id, reference) AS n FROM failed
      WHERE message IN (${Prisma.join(groups.map((group) => group.message))})
    ) ranked WHERE n <= ${FAILURE_FILES_PER_GROUP} ORDER BY created_at DESC, job_id, reference`;
  return {
    days,
    groups: groups.map((group) => ({
      message: group.message,
      fileCount: group.file_count,
      jobCount: group.job_count,
      lastSeenAt: group.last_seen_at.toISOString(),
      files: files
        .filter((file) => file.message === group.message)
        .map((file) => ({
          reference: file.reference,
          sourceUrl: file.source_url,
          jobId: file.job_id,
          upstreamJobId: file.upstream_job_id,
          projectId: file.project_id,
          projectName: file.project_name,
          outcome: file.outcome,
          createdAt: file.created_at.toISOString(),
        })),
    })),
  };
}

/** Jobs per UTC day of creation by how they ended, with failed files, media minutes and AI credits. */
export async function getUsageReport({ days }: ReportQuery, now = new Date()): Promise<UsageReport> {
  const start = rangeStart(days, now);
  const rows = await getDb().$queryRaw<UsageRow[]>`
    SELECT to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           count(*) FILTER (WHERE j.state = 'stopped' AND j.outcome = 'success')::int AS success,
           count(*) FILTER (WHERE j.state = 'stopped' AND j.outcome = 'partial')::int AS partial,
           count(*) FILTER (WHERE j.state = 'stopped' AND (j.outcome = 'error' OR j.outcome IS NULL))::int AS error,
           count(*) FILTER (WHERE j.state = 'cancelled')::int AS cancelled,
           count(*) FILTER (WHERE j.state = 'rejected')::int AS rejected,
           count(*) FILTER (WHERE j.state IN ('submitting', 'queued', 'running', 'cancel_requested'))::int AS active,
           coalesce(sum(failed.files), 0)::int AS files_failed,
           coalesce(sum(j.media_seconds_used), 0)::float8 AS media_seconds,
           coalesce(sum(j.ai_credits_used), 0)::float8 AS ai_credits
    FROM jobs j
    LEFT JOIN (SELECT job_id, count(*) AS files FROM job_files WHERE status = 'failed' GROUP BY job_id) failed ON failed.job_id = j.id
    WHERE j.created_at >= ${start}
    GROUP BY 1`;
  // Jobs the sweep deleted live on in job_rollups (day × type × outcome); a job is in one or the other.
  const rolledUp = await getDb().$queryRaw<UsageRow[]>`
    SELECT to_char(r.day, 'YYYY-MM-DD') AS day,
           coalesce(sum(r.jobs) FILTER (WHERE r.outcome = 'success'), 0)::int AS success,
           coalesce(sum(r.jobs) FILTER (WHERE r.outcome = 'partial'), 0)::int AS partial,
           coalesce(sum(r.jobs) FILTER (WHERE r.outcome IN ('error', 'stopped')), 0)::int AS error,
           coalesce(sum(r.jobs) FILTER (WHERE r.outcome = 'cancelled'), 0)::int AS cancelled,
           coalesce(sum(r.jobs) FILTER (WHERE r.outcome = 'rejected'), 0)::int AS rejected,
           coalesce(sum(r.jobs) FILTER (WHERE r.outcome IN ('submitting', 'queued', 'running', 'cancel_requested')), 0)::int AS active,
           coalesce(sum(r.files_failed), 0)::int AS files_failed,
           coalesce(sum(r.media_seconds), 0)::float8 AS media_seconds,
           coalesce(sum(r.ai_credits), 0)::float8 AS ai_credits
    FROM job_rollups r
    WHERE r.day >= ${start}::date
    GROUP BY 1`;
  const byDay = new Map<string, UsageRow>();
  for (const row of [...rows, ...rolledUp]) byDay.set(row.day, addUp(byDay.get(row.day), row));
  const daily: UsageDay[] = [];
  for (let index = 0; index < days; index++) {
    const day = new Date(start.getTime() + index * DAY_MS).toISOString().slice(0, 10);
    const row = byDay.get(day);
    daily.push({
      day,
      success: row?.success ?? 0,
      partial: row?.partial ?? 0,
      error: row?.error ?? 0,
      cancelled: row?.cancelled ?? 0,
      rejected: row?.rejected ?? 0,
      active: row?.active ?? 0,
      filesFailed: row?.files_failed ?? 0,
      mediaMinutes: Math.round(((row?.media_seconds ?? 0) / 60) * 10) / 10,
      aiCredits: Math.round((row?.ai_credits ?? 0) * 100) / 100,
    });
  }
  return { days, daily };
}

type UsageRow = Omit<UsageDay, "mediaMinutes" | "aiCredits" | "filesFailed"> & { media_seconds: number; ai_credits: number; files_failed: number };

function addUp(a: UsageRow | undefined, b: UsageRow): UsageRow {
  if (!a) return b;
  return {
    day: a.day,
    success: a.success + b.success,
    partial: a.partial + b.partial,
    error: a.error + b.error,
    cancelled: a.cancelled + b.cancelled,
    rejected: a.rejected + b.rejected,
    active: a.active + b.active,
    files_failed: a.files_failed + b.files_failed,
    media_seconds: a.media_seconds + b.media_seconds,
    ai_credits: a.ai_credits + b.ai_credits,
  };
}
