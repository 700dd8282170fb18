import "server-only";
// The worker's own bookkeeping on the jobs table: its schedule (next_poll_at), its claims (leases),
// stuck flags and missed callbacks. Raw SQL that never touches updated_at, so "no new progress"
// keeps meaning what upstream reported, not what the worker did.
import { Prisma } from "@/lib/generated/prisma/client";
import { JOB_CHANGES_CHANNEL } from "@/lib/jobs/repository";
import { getDb } from "@/lib/server/db";
import { MIN_POLL_INTERVAL_SECONDS } from "./schedule";

export const ACTIVE_STATES = ["submitting", "queued", "running", "cancel_requested"] as const;
const active = Prisma.sql`('submitting', 'queued', 'running', 'cancel_requested')`;
/**
 * Rows one bookkeeping statement may touch: however many jobs need it at once (a backlog after an
 * outage, a bulk import), each tick takes a bounded bite, holds few row locks, and stays well inside
 * the statement timeout; the rest follow on the next ticks. SKIP LOCKED leaves rows a callback holds.
 */
const STATEMENT_BATCH = 500;

export interface ClaimedJob {
  id: string;
  state: "submitting" | "queued" | "running" | "cancel_requested" | "stopped" | "cancelled" | "rejected";
  type: string;
  upstream_job_id: string | null;
  project_id: string | null;
  created_at: Date;
  poll_count: number;
}

/**
 * Puts newly seen active jobs on the schedule: the first look comes after the usual duration of
 * their type (`firstDelays`, seconds by type; `fallbackDelay` for the rest), submitting ones after
 * `submittingDelay`, and a cancel that nobody has read back yet three seconds after it was asked.
 */
export async function scheduleNewJobs(delays: NewJobDelays): Promise<void> {
  await getDb().$executeRaw(scheduleNewJobsStatement(delays));
  await getDb().$executeRaw`
    UPDATE jobs SET next_poll_at = greatest(cancel_requested_at, coalesce(last_polled_at, cancel_requested_at)) + make_interval(secs => ${MIN_POLL_INTERVAL_SECONDS})
    WHERE id IN (
      SELECT id FROM jobs
      WHERE state = 'cancel_requested' AND cancel_requested_at IS NOT NULL
        AND (last_polled_at IS NULL OR last_polled_at < cancel_requested_at)
        AND (next_poll_at IS NULL OR next_poll_at > cancel_requested_at + make_interval(secs => ${MIN_POLL_INTERVAL_SECONDS}))
      LIMIT ${STATEMENT_BATCH} FOR UPDATE SKIP LOCKED
    )`;
}

export interface NewJobDelays {
  firstDelays: Record<string, number>;
  fallbackDelay: number;
  submittingDelay: number;
}

/**
 * Active jobs not on the schedule yet, oldest first, put on it. Apart from its caller so that a test
 * can read its plan (the worker's statements read index ranges only: tick-plans.test.ts).
 */
export function scheduleNewJobsStatement({ firstDelays, fallbackDelay, submittingDelay }: NewJobDelays): Prisma.Sql {
  const types = Object.keys(firstDelays);
  const delays = types.map((type) => firstDelays[type]!);
  return Prisma.sql`
    UPDATE jobs j SET next_poll_at = j.created_at + make_interval(secs => CASE
        WHEN j.state = 'submitting' THEN ${submittingDelay}::float8
        ELSE coalesce(d.delay, ${fallbackDelay}::float8) END)
    FROM (
      SELECT id, type FROM jobs WHERE state IN ('submitting', 'queued', 'running') AND next_poll_at IS NULL
      ORDER BY created_at LIMIT ${STATEMENT_BATCH} FOR UPDATE SKIP LOCKED
    ) AS me
    LEFT JOIN unnest(${types}::text[], ${delays}::float8[]) AS d(type, delay) ON d.type = me.type
    WHERE j.id = me.id`;
}

/**
 * Claims up to `limit` due jobs for `workerId`. SKIP LOCKED lets workers share the queue without
 * waiting on each other (or on a callback holding a job's row); the lease returns a dead worker's
 * claims. Ended jobs come along too, only to be taken off the schedule.
 */
export function claimDueJobs(claim: DueJobsClaim): Promise<ClaimedJob[]> {
  return getDb().$queryRaw<ClaimedJob[]>(claimDueJobsStatement(claim));
}

export interface DueJobsClaim {
  workerId: string;
  limit: number;
  leaseSeconds: number;
}

/** The claim as one statement, its plan read by tick-plans.test.ts as scheduleNewJobsStatement's. */
export function claimDueJobsStatement({ workerId, limit, leaseSeconds }: DueJobsClaim): Prisma.Sql {
  return Prisma.sql`
    UPDATE jobs SET leased_by = ${workerId}, lease_until = clock_timestamp() + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT id FROM jobs
      -- now(), the statement's start, bounds the index range; clock_timestamp() changes row by row, so
      -- a bound on it walked the whole schedule.
      WHERE next_poll_at <= now() AND (lease_until IS NULL OR lease_until < clock_timestamp())
        -- The 3-second floor holds here too, whatever moved next_poll_at.
        AND (last_polled_at IS NULL OR last_polled_at <= clock_timestamp() - make_interval(secs => ${MIN_POLL_INTERVAL_SECONDS}))
      ORDER BY next_poll_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, state::text AS state, type, upstream_job_id, project_id, created_at, poll_count`;
}

/**
 * Gives a claim back: the next look `delaySeconds` after now if the job is still active (off the
 * schedule otherwise). `polled` counts an upstream call, which also starts the 3-second floor.
 * Guarded by the holder, so a claim that ran out and went to another worker is left alone.
 */
export async function releaseJob({ jobId, workerId, delaySeconds, polled }: { jobId: string; workerId: string; delaySeconds: number; polled: boolean }): Promise<void> {
  await getDb().$executeRaw`
    UPDATE jobs SET leased_by = NULL, lease_until = NULL,
      next_poll_at = CASE WHEN state IN ${active}
        THEN clock_timestamp() + make_interval(secs => greatest(${delaySeconds}::float8, ${MIN_POLL_INTERVAL_SECONDS}::float8)) ELSE NULL END,
      last_polled_at = CASE WHEN ${polled} THEN clock_timestamp() ELSE last_polled_at END,
      poll_count = poll_count + CASE WHEN ${polled} THEN 1 ELSE 0 END
    WHERE id = ${jobId}::uuid AND leased_by = ${workerId}`;
}

/**
 * Gives back every claim a stopping worker still holds. They are due again after the 3-second
 * floor, not at once: a poll of theirs may still be on its way while the process closes.
 */
export function releaseAllClaims(workerId: string): Promise<number> {
  return getDb().$executeRaw`
    UPDATE jobs SET leased_by = NULL, lease_until = NULL,
      next_poll_at = greatest(next_poll_at, clock_timestamp() + make_interval(secs => ${MIN_POLL_INTERVAL_SECONDS}))
    WHERE leased_by = ${workerId}`;
}

/**
 * Someone is looking at these jobs: their next poll comes now, or three seconds after the last
 * look (the create's answer counts as the first). `ids` null means the live table: the newest active jobs it shows.
 */
export function expediteJobs(ids: string[] | null): Promise<number> {
  const which = ids === null
    ? Prisma.sql`id IN (SELECT id FROM jobs WHERE state IN ('queued', 'running', 'cancel_requested') ORDER BY created_at DESC LIMIT 100)`
    : Prisma.sql`id = ANY(${ids}::uuid[])`;
  return getDb().$executeRaw`
    UPDATE jobs SET next_poll_at = greatest(clock_timestamp(), coalesce(last_polled_at, created_at) + make_interval(secs => ${MIN_POLL_INTERVAL_SECONDS}))
    WHERE ${which} AND state IN ('queued', 'running', 'cancel_requested')
      AND (next_poll_at IS NULL OR next_poll_at > greatest(clock_timestamp(), coalesce(last_polled_at, created_at) + make_interval(secs => ${MIN_POLL_INTERVAL_SECONDS})))`;
}

/** When a submitting job's create failed (5xx or no answer), if it did. */
export async function findCreateFailureAt(jobId: string): Promise<Date | null> {
  const [row] = await getDb().$queryRaw<Array<{ created_at: Date }>>`
    SELECT created_at FROM job_events WHERE job_id = ${jobId}::uuid AND kind IN ('upstream_unreachable', 'upstream_rejected')
    ORDER BY id LIMIT 1`;
  return row?.created_at ?? null;
}

export async function findKnownUpstreamIds(upstreamJobIds: string[]): Promise<Set<string>> {
  const rows = await getDb().$queryRaw<Array<{ upstream_job_id: string }>>`
    SELECT upstream_job_id FROM jobs WHERE upstream_job_id = ANY(${upstreamJobIds}::text[])`;
  return new Set(rows.map((row) => row.upstream_job_id));
}

export async function hasReceivedCallback(jobId: string): Promise<boolean> {
  const rows = await getDb().$queryRaw<unknown[]>`
    SELECT 1 FROM job_events WHERE job_id = ${jobId}::uuid AND kind = 'callback_received' LIMIT 1`;
  return rows.length > 0;
}

/**
 * How long each type usually takes upstream: the 90th percentile of recent finished jobs (at least
 * five of them), in seconds.
 */
export async function findTypicalDurations(): Promise<Record<string, number>> {
  const rows = await getDb().$queryRaw<Array<{ type: string; p90: number }>>`
    SELECT type, percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
    FROM (
      SELECT type, extract(epoch FROM upstream_stopped_at - coalesce(upstream_created_at, created_at))::float8 AS seconds
      FROM jobs
      WHERE state = 'stopped' AND upstream_stopped_at IS NOT NULL AND created_at > now() - interval '7 days'
      ORDER BY created_at DESC LIMIT 2000
    ) AS recent
    WHERE seconds >= 0
    GROUP BY type HAVING count(*) >= 5`;
  return Object.fromEntries(rows.map((row) => [row.type, row.p90]));
}

const notifyChanged = (rows: string) => Prisma.sql`
  SELECT pg_notify(${JOB_CHANGES_CHANNEL}, json_build_object('id', id, 'upstreamJobId', upstream_job_id, 'state', state, 'version', version)::text)
  FROM ${Prisma.raw(rows)}`;

/**
 * Flags active jobs with no new progress for `stuckAfterMinutes`, or running longer than
 * `farLonger` (seconds by type), and clears the flag of those for which neither holds any more:
 * ended, or progress moved since the flag and not running far longer than usual. A job running far
 * longer stays flagged while its progress moves; clearing it on progress flagged it again on the
 * next tick, so its row was written, announced and redrawn in every open table each second.
 */
export async function flagStuckJobs({ stuckAfterMinutes, farLonger }: { stuckAfterMinutes: number; farLonger: Record<string, number> }): Promise<void> {
  const types = Object.keys(farLonger);
  const limits = types.map((type) => farLonger[type]!);
  await getDb().$executeRaw`
    WITH flagged AS (
      UPDATE jobs j SET version = j.version + 1, stuck_since = clock_timestamp(), stuck_reason = CASE
          WHEN j.updated_at < clock_timestamp() - make_interval(secs => ${stuckAfterMinutes * 60}::float8)
            THEN 'no new progress for ' || round(extract(epoch FROM clock_timestamp() - j.updated_at) / 60)::text || ' min'
          ELSE 'running ' || round(extract(epoch FROM clock_timestamp() - j.created_at) / 60)::text || ' min, far longer than usual for ' || j.type
        END
      FROM (
        SELECT me.id FROM jobs me LEFT JOIN unnest(${types}::text[], ${limits}::float8[]) AS d(type, seconds) ON d.type = me.type
        WHERE me.state IN ('queued', 'running', 'cancel_requested') AND me.stuck_since IS NULL
          AND (me.updated_at < clock_timestamp() - make_interval(secs => ${stuckAfterMinutes * 60}::float8)
            OR me.created_at < clock_timestamp() - make_interval(secs => d.seconds))
        LIMIT ${STATEMENT_BATCH} FOR UPDATE OF me SKIP LOCKED
      ) AS me
      WHERE j.id = me.id
      RETURNING j.id, j.upstream_job_id, j.state, j.version
    ) ${notifyChanged("flagged")}`;
  // updated_at only moves with upstream's news.
  await getDb().$executeRaw`
    WITH cleared AS (
      UPDATE jobs SET version = version + 1, stuck_since = NULL, stuck_reason = NULL
      WHERE id IN (
        SELECT me.id FROM jobs me LEFT JOIN unnest(${types}::text[], ${limits}::float8[]) AS d(type, seconds) ON d.type = me.type
        WHERE me.stuck_since IS NOT NULL
          AND (me.state NOT IN ${active}
            OR (me.updated_at > me.stuck_since AND NOT coalesce(me.created_at < clock_timestamp() - make_interval(secs => d.seconds), false)))
        LIMIT ${STATEMENT_BATCH} FOR UPDATE OF me SKIP LOCKED
      )
      RETURNING id, upstream_job_id, state, version
    ) ${notifyChanged("cleared")}`;
}

export async function markCallbackMissed(jobId: string): Promise<void> {
  await getDb().$executeRaw`UPDATE jobs SET callback_missed_at = clock_timestamp() WHERE id = ${jobId}::uuid`;
}

export interface WebhookSilence {
  /** Jobs that polling found ended upstream without their callback, in the last hour. */
  missedLastHour: number;
  lastMissedAt: string | null;
  lastMissedJobId: string | null;
  lastCallbackAt: string | null;
}

export async function readWebhookSilence(): Promise<WebhookSilence> {
  const [missed] = await getDb().$queryRaw<Array<{ count: number; last_at: Date | null; last_id: string | null }>>`
    SELECT (SELECT count(*)::int FROM jobs WHERE callback_missed_at > now() - interval '1 hour') AS count,
           last.callback_missed_at AS last_at, last.id::text AS last_id
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (SELECT id, callback_missed_at FROM jobs WHERE callback_missed_at IS NOT NULL ORDER BY callback_missed_at DESC LIMIT 1) AS last ON true`;
  const [callback] = await getDb().$queryRaw<Array<{ created_at: Date }>>`
    SELECT created_at FROM job_events WHERE kind = 'callback_received' ORDER BY id DESC LIMIT 1`;
  return {
    missedLastHour: missed?.count ?? 0,
    lastMissedAt: missed?.last_at?.toISOString() ?? null,
    lastMissedJobId: missed?.last_id ?? null,
    lastCallbackAt: callback?.created_at.toISOString() ?? null,
  };
}
