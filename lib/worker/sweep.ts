import "server-only";
// The expiry sweep: jobs created more than JOB_RETENTION_DAYS ago go, with their files, events and
// relays (ON DELETE CASCADE), after their figures were added to the daily rollups. One sweeper at a
// time across every instance and `npm run sweep` (a session advisory lock on its own connection);
// batches of short transactions that skip rows a callback holds, so no lock is held for long.
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { getDb } from "@/lib/server/db";
import { getEnv } from "@/lib/server/env";
import { logEvent } from "@/lib/server/log";

/** An arbitrary constant naming the sweeper's advisory lock ("jobdeck sweep"). */
const SWEEP_LOCK_KEY = 427_019_310;
const DEFAULT_BATCH_SIZE = 500;

export interface SweepRunView {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  cutoff: string;
  jobsDeleted: number;
  filesDeleted: number;
  eventsDeleted: number;
  relaysDeleted: number;
  rollupsWritten: number;
  rollupsPruned: number;
  error: string | null;
}

export interface SweepOptions {
  batchSize?: number;
  /** Checked between batches: a stopping worker leaves the rest for the next run. */
  shouldStop?: () => boolean;
}

/** Runs one sweep; null when another sweeper holds the lock. */
export async function runSweep({ batchSize = DEFAULT_BATCH_SIZE, shouldStop = () => false }: SweepOptions = {}): Promise<SweepRunView | null> {
  const env = getEnv();
  const client = new pg.Client({ connectionString: env.databaseUrl });
  await client.connect();
  try {
    const { rows: locked } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [SWEEP_LOCK_KEY]);
    if (!locked[0]?.locked) return null;
    try {
      return await sweepLocked(client, { batchSize, shouldStop, retentionDays: env.jobRetentionDays, rollupRetentionDays: env.worker.rollupRetentionDays });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [SWEEP_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function sweepLocked(
  client: pg.Client,
  options: { batchSize: number; shouldStop: () => boolean; retentionDays: number; rollupRetentionDays: number },
): Promise<SweepRunView> {
  const { rows: [run] } = await client.query<{ id: string }>(
    "INSERT INTO sweep_runs (cutoff) VALUES (now() - make_interval(days => $1)) RETURNING id",
    [options.retentionDays],
  );
  const runId = run!.id;
  const totals = { jobs: 0, files: 0, events: 0, relays: 0, rollups: 0 };
  let error: string | null = null;
  try {
    for (;;) {
      const started = performance.now();
      const batch = await sweepBatch(client, runId, options.batchSize);
      totals.jobs += batch.jobs;
      totals.files += batch.files;
      totals.events += batch.events;
      totals.relays += batch.relays;
      totals.rollups += batch.rollups;
      if (batch.jobs < options.batchSize || options.shouldStop()) break;
      // Rest twice as long as the batch took: the sweep takes at most a third of a core from the
      // callbacks beside it (a day's expired jobs still go in seconds; a backlog of a million, minutes).
      await sleep(2 * (performance.now() - started));
    }
  } catch (caught) {
    error = (caught as Error).message;
    logEvent("error", "sweep_failed", { runId, error });
  }
  const { rowCount: pruned } = await client.query("DELETE FROM job_rollups WHERE day < current_date - $1::int", [options.rollupRetentionDays]);
  // Project names no job carries any more. One a job took up since the cutoff was touched by the
  // trigger that noted it (prisma/migrations/*_project_names), so a job being written now keeps its name.
  await client.query(
    `DELETE FROM project_names p WHERE last_seen_at < (SELECT cutoff FROM sweep_runs WHERE id = $1)
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.project_name = p.name)`,
    [runId],
  );
  const { rows: [finished] } = await client.query(
    `UPDATE sweep_runs SET finished_at = now(), jobs_deleted = $2, files_deleted = $3, events_deleted = $4, relays_deleted = $5,
       rollups_written = $6, rollups_pruned = $7, error = $8
     WHERE id = $1 RETURNING *`,
    [runId, totals.jobs, totals.files, totals.events, totals.relays, totals.rollups, pruned ?? 0, error],
  );
  logEvent("info", "sweep_finished", { runId, jobsDeleted: totals.jobs, rollupsWritten: totals.rollups, error });
  return toSweepRunView(finished);
}

/**
 * One batch in one transaction: the oldest expired jobs not locked by anyone else, their figures
 * added to the rollups (one row per UTC day of creation × type × outcome), then deleted.
 */
async function sweepBatch(client: pg.Client, runId: string, batchSize: number) {
  await client.query("BEGIN");
  try {
    const { rows: [counts] } = await client.query<{ jobs: number; files: number; events: number; relays: number; rollups: number }>(
      `WITH doomed AS (
         SELECT id, type, state, outcome, created_at, media_seconds_used, ai_credits_used FROM jobs
         WHERE created_at < (SELECT cutoff FROM sweep_runs WHERE id = $1)
         ORDER BY created_at LIMIT $2
         FOR UPDATE SKIP LOCKED
       ), file_counts AS (
         SELECT job_id, count(*) FILTER (WHERE status = 'success') AS ok, count(*) FILTER (WHERE status = 'failed') AS failed, count(*) AS total
         FROM job_files WHERE job_id IN (SELECT id FROM doomed) GROUP BY job_id
       ), rolled AS (
         INSERT INTO job_rollups AS r (day, type, outcome, jobs, files_ok, files_failed, media_seconds, ai_credits)
         SELECT (d.created_at AT TIME ZONE 'UTC')::date, d.type, coalesce(d.outcome::text, d.state::text), count(*),
                coalesce(sum(fc.ok), 0), coalesce(sum(fc.failed), 0), coalesce(sum(d.media_seconds_used), 0), coalesce(sum(d.ai_credits_used), 0)
         FROM doomed d LEFT JOIN file_counts fc ON fc.job_id = d.id
         GROUP BY 1, 2, 3
         ON CONFLICT (day, type, outcome) DO UPDATE SET
           jobs = r.jobs + excluded.jobs, files_ok = r.files_ok + excluded.files_ok, files_failed = r.files_failed + excluded.files_failed,
           media_seconds = r.media_seconds + excluded.media_seconds, ai_credits = r.ai_credits + excluded.ai_credits
         RETURNING 1
       ), deleted AS (
         DELETE FROM jobs WHERE id IN (SELECT id FROM doomed) RETURNING 1
       )
       SELECT (SELECT count(*) FROM deleted)::int AS jobs,
              (SELECT coalesce(sum(total), 0) FROM file_counts)::int AS files,
              (SELECT count(*) FROM job_events WHERE job_id IN (SELECT id FROM doomed))::int AS events,
              (SELECT count(*) FROM callback_relays WHERE job_id IN (SELECT id FROM doomed))::int AS relays,
              (SELECT count(*) FROM rolled)::int AS rollups`,
      [runId, batchSize],
    );
    await client.query("COMMIT");
    return counts!;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

interface SweepRunRow {
  id: string | bigint;
  started_at: Date;
  finished_at: Date | null;
  cutoff: Date;
  jobs_deleted: number;
  files_deleted: number;
  events_deleted: number;
  relays_deleted: number;
  rollups_written: number;
  rollups_pruned: number;
  error: string | null;
}

export function toSweepRunView(row: SweepRunRow): SweepRunView {
  return {
    id: String(row.id),
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    cutoff: row.cutoff.toISOString(),
    jobsDeleted: row.jobs_deleted,
    filesDeleted: row.files_deleted,
    eventsDeleted: row.events_deleted,
    relaysDeleted: row.relays_deleted,
    rollupsWritten: row.rollups_written,
    rollupsPruned: row.rollups_pruned,
    error: row.error,
  };
}

/** The newest sweep runs, newest first. */
export async function listSweepRuns(limit: number): Promise<SweepRunView[]> {
  const rows = await getDb().$queryRaw<SweepRunRow[]>`SELECT * FROM sweep_runs ORDER BY started_at DESC LIMIT ${limit}`;
  return rows.map(toSweepRunView);
}
