import "server-only";
// The only code that touches Prisma for jobs. Every write that changes a job runs inside a
// transaction that also appends to its timeline and announces the change (NOTIFY is delivered at
// commit, so listeners never hear of a change that was rolled back).
import crypto from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { Prisma, type EventVerdict, type JobEventKind, type JobOutcome, type UpstreamJobState } from "@/lib/generated/prisma/client";
import { getDb, getPool, withDriverTransaction } from "@/lib/server/db";
import type { JobListFilters } from "./api-types";
import { jobListStatement, jobsNamedByStatement, type Keyset } from "./list-sql";
import type { JobSummaryRow } from "./serializers";
import type { JobState } from "./state-machine";

export const JOB_CHANGES_CHANNEL = "jobdeck_job_changes";

/** Timeline entries kept per job; later ones are counted in jobs.dropped_events (docs/decisions/0013). */
export const MAX_EVENTS_PER_JOB = 500;

export const jobWithFiles = { files: { orderBy: { reference: "asc" } } } satisfies Prisma.JobInclude;
export type JobWithFiles = Prisma.JobGetPayload<{ include: typeof jobWithFiles }>;
export type JobRow = Prisma.JobGetPayload<object>;
export type Tx = Prisma.TransactionClient;

export interface NewEvent {
  kind: JobEventKind;
  verdict?: EventVerdict;
  payload?: unknown;
  headers?: Record<string, string>;
  httpStatus?: number;
  message?: string;
}

export interface NewJob {
  type: string;
  request: Prisma.InputJsonValue;
  projectId: string | null;
  projectName: string | null;
  submittedBy: string;
  submitterId: string;
  clientCallbackUrl: string | null;
  files: Array<{ reference: string; sourceUrl: string | null }>;
  /** The import whose failed files this one imports again. */
  reimportOfId?: string | null;
}

export async function insertSubmittingJob(job: NewJob, event: NewEvent): Promise<JobRow> {
  return getDb().$transaction(async (tx) => {
    const row = await tx.job.create({
      data: {
        type: job.type,
        state: "submitting",
        request: job.request,
        projectId: job.projectId,
        projectName: job.projectName,
        submittedBy: job.submittedBy,
        submitterId: job.submitterId,
        clientCallbackUrl: job.clientCallbackUrl,
        reimportOfId: job.reimportOfId ?? null,
      },
    });
    if (job.files.length > 0) {
      await tx.$executeRaw`
        INSERT INTO job_files (id, job_id, reference, source_url)
        SELECT gen_random_uuid(), ${row.id}::uuid, reference, source_url
        FROM unnest(${job.files.map((file) => file.reference)}::text[], ${job.files.map((file) => file.sourceUrl)}::text[]) AS f(reference, source_url)`;
    }
    await appendEventAndNotify(tx, row, event);
    return row;
  });
}

/**
 * Runs `change` in a transaction holding the job's row lock, so concurrent callbacks, polls and
 * cancels for one job are applied one after another, each seeing the last one's result.
 */
export async function withLockedJob<T>(jobId: string, change: (tx: Tx, job: JobWithFiles) => Promise<T>): Promise<T | null> {
  return getDb().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM jobs WHERE id = ${jobId}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    const job = await tx.job.findUniqueOrThrow({ where: { id: jobId }, include: jobWithFiles });
    return change(tx, job);
  });
}

// ---- One observation in one statement (callbacks and polls: the hot path) ---------------------

/** The columns an observation of upstream may change, as the state machine's caller computes them. */
export interface JobColumns {
  state: JobState;
  upstreamState: UpstreamJobState;
  upstreamJobId: string;
  type: string;
  driveId: string | null;
  projectId: string | null;
  projectUrl: string | null;
  upstreamCreatedAt: Date;
  upstreamStoppedAt: Date | null;
  progressLabel: string | null;
  progressPercent: number | null;
  progressUpdatedAt: Date | null;
  result: Prisma.InputJsonValue | null;
  outcome: JobOutcome | null;
  errorMessage: string | null;
  errorCode: string | null;
  mediaSecondsUsed: number | null;
  aiCreditsUsed: number | null;
}

/** Each column's name and SQL type: the only place these camelCase names meet their columns. */
const JOB_COLUMN_SQL: Record<keyof JobColumns, [column: string, type: string]> = {
  state: ["state", '"JobState"'],
  upstreamState: ["upstream_state", '"UpstreamJobState"'],
  upstreamJobId: ["upstream_job_id", "text"],
  type: ["type", "text"],
  driveId: ["drive_id", "text"],
  projectId: ["project_id", "text"],
  projectUrl: ["project_url", "text"],
  upstreamCreatedAt: ["upstream_created_at", "timestamptz"],
  upstreamStoppedAt: ["upstream_stopped_at", "timestamptz"],
  progressLabel: ["progress_label", "text"],
  progressPercent: ["progress_percent", "float8"],
  progressUpdatedAt: ["progress_updated_at", "timestamptz"],
  result: ["result", "jsonb"],
  outcome: ["outcome", '"JobOutcome"'],
  errorMessage: ["error_message", "text"],
  errorCode: ["error_code", "text"],
  mediaSecondsUsed: ["media_seconds_used", "float8"],
  aiCreditsUsed: ["ai_credits_used", "float8"],
};

export interface FileResult {
  reference: string;
  status: "success" | "failed" | "pending";
  durationSeconds: number | null;
  errorMessage: string | null;
}

/** What one observation does to a job, decided in TypeScript under the row lock. */
export interface ObservedChange {
  /** Columns to change (the version is bumped with them); absent: only the timeline grows. */
  job?: Partial<JobColumns>;
  files?: FileResult[];
  events: NewEvent[];
  /** The job's final state for the client's callback_url (the relay outbox). */
  relay?: { url: string; body: Prisma.InputJsonValue };
}

/** The locked job as the decision sees it, and which job already holds the upstream id it was told. */
export type ObservedJob = JobWithFiles & { upstreamIdOwner: string | null };

/**
 * Applies one observation of upstream: reads the job with its files and which job already holds
 * the upstream id it was told (one SELECT), lets `decide` (the state machine, in TypeScript) say
 * what changes, then writes it all in one statement that updates the row, writes the file results,
 * appends the timeline (within MAX_EVENTS_PER_JOB), queues the relay and calls pg_notify.
 *
 * First without a transaction: the write applies only if the row is still the version that was
 * read (its xmin), so two round trips decide and write atomically. A job written in between (a
 * duplicate delivery, a poll, a cancel) is read and decided again under its row lock (BEGIN, FOR
 * UPDATE, the statement, COMMIT), where nothing can come between. Straight through the driver:
 * Prisma's interactive transaction costs more than these statements (docs/decisions/0017).
 * Returns null when the job does not exist.
 */
export async function applyObservation<T>(
  jobId: string,
  upstreamJobId: string | null,
  decide: (job: ObservedJob) => { change: ObservedChange; result: T },
): Promise<T | null> {
  const unlocked = await observe(getPool(), { jobId, upstreamJobId, decide, isLocked: false });
  if (unlocked !== CHANGED_MEANWHILE) return unlocked;
  return withDriverTransaction(async (client) => {
    const locked = await observe(client, { jobId, upstreamJobId, decide, isLocked: true });
    // Under the row lock nobody else can write the row between the read and the write.
    if (locked === CHANGED_MEANWHILE) throw new Error(`job ${jobId} changed while locked`);
    return locked;
  });
}

const CHANGED_MEANWHILE = Symbol("changed meanwhile");

async function observe<T>(
  db: Pick<pg.Pool, "query">,
  { jobId, upstreamJobId, decide, isLocked }: { jobId: string; upstreamJobId: string | null; decide: (job: ObservedJob) => { change: ObservedChange; result: T }; isLocked: boolean },
): Promise<T | null | typeof CHANGED_MEANWHILE> {
  const { rows } = await db.query<Record<string, unknown>>(isLocked ? `${READ_OBSERVED_JOB} FOR UPDATE OF j` : READ_OBSERVED_JOB, [jobId, upstreamJobId]);
  if (rows.length === 0) return null;
  const { upstream_id_owner: upstreamIdOwner, files, row_version: rowVersion, ...columns } = rows[0]!;
  const job = { ...(camelCaseKeys(columns) as JobRow), files: files as JobWithFiles["files"], upstreamIdOwner: upstreamIdOwner as string | null };
  const { change, result } = decide(job);
  const { rowCount } = await db.query(observedChangeStatement(job, rowVersion as string, change));
  return rowCount === 1 ? result : CHANGED_MEANWHILE;
}

/** The job, its files as JSON, the owner of the upstream id it was told, and its row version (xmin). */
const READ_OBSERVED_JOB = `
  SELECT j.*, j.xmin::text AS row_version,
    (SELECT o.id FROM jobs o WHERE o.upstream_job_id = $2) AS upstream_id_owner,
    COALESCE((
      SELECT json_agg(json_build_object('id', f.id, 'jobId', f.job_id, 'reference', f.reference, 'sourceUrl', f.source_url,
        'status', f.status, 'durationSeconds', f.duration_seconds, 'errorMessage', f.error_message) ORDER BY f.reference)
      FROM job_files f WHERE f.job_id = j.id), '[]') AS files
  FROM jobs j WHERE j.id = $1::uuid`;

/**
 * The one statement of applyObservation: every write of the change, then the announcement, all
 * only if the row is still at `rowVersion` (the other writes read `updated`, which is empty when
 * it is not). One row back: written; none: the job changed since it was read.
 */
function observedChangeStatement(job: JobRow, rowVersion: string, change: ObservedChange): { text: string; values: unknown[] } {
  const values: unknown[] = [job.id, rowVersion];
  const param = (value: unknown, type: string) => `$${values.push(value)}::${type}`;
  // The row is written only as it was read, so the cap is decided here: the first events that fit are stored, the rest counted.
  const room = Math.max(0, MAX_EVENTS_PER_JOB - job.storedEvents);
  const stored = change.events.slice(0, room);
  const dropped = change.events.length - stored.length;
  const sets = [`stored_events = stored_events + ${stored.length}`, `dropped_events = dropped_events + ${dropped}`];
  if (change.job) {
    for (const [key, value] of Object.entries(change.job) as Array<[keyof JobColumns, unknown]>) {
      if (value === undefined) continue;
      const [column, type] = JOB_COLUMN_SQL[key];
      sets.push(`${column} = ${param(type === "jsonb" && value !== null ? JSON.stringify(value) : value, type)}`);
    }
    sets.push("version = version + 1", "updated_at = now()");
  }
  const parts = [`updated AS (UPDATE jobs SET ${sets.join(", ")} WHERE id = $1::uuid AND xmin = $2::text::xid RETURNING id, upstream_job_id, state, version)`];
  if (change.files && change.files.length > 0) {
    const files = change.files;
    parts.push(`files AS (
      INSERT INTO job_files (id, job_id, reference, status, duration_seconds, error_message)
      SELECT gen_random_uuid(), $1::uuid, reference, status, duration_seconds, error_message
      FROM updated, unnest(${param(files.map((file) => file.reference), "text[]")}, ${param(files.map((file) => file.status), '"FileStatus"[]')},
                  ${param(files.map((file) => file.durationSeconds), "float8[]")}, ${param(files.map((file) => file.errorMessage), "text[]")})
        AS f(reference, status, duration_seconds, error_message)
      ON CONFLICT (job_id, reference) DO UPDATE
      SET status = EXCLUDED.status, duration_seconds = EXCLUDED.duration_seconds, error_message = EXCLUDED.error_message)`);
  }
  if (stored.length > 0) {
    const events = stored.map((event) => ({
      kind: event.kind,
      verdict: event.verdict ?? null,
      payload: toStorableJson(event.payload) ?? null,
      headers: event.headers ?? null,
      http_status: event.httpStatus ?? null,
      message: event.message ?? null,
    }));
    // WITH ORDINALITY and ORDER BY: the events take their ids in the order they were decided.
    parts.push(`events AS (
      INSERT INTO job_events (job_id, kind, verdict, payload, headers, http_status, message)
      SELECT $1::uuid, e.kind, e.verdict, NULLIF(e.payload, 'null'), NULLIF(e.headers, 'null'), e.http_status, e.message
      FROM updated, ROWS FROM (jsonb_to_recordset(${param(JSON.stringify(events), "jsonb")})
          AS (kind "JobEventKind", verdict "EventVerdict", payload jsonb, headers jsonb, http_status int, message text))
        WITH ORDINALITY AS e(kind, verdict, payload, headers, http_status, message, n)
      ORDER BY e.n)`);
  }
  if (change.relay) {
    parts.push(`relay AS (
      INSERT INTO callback_relays (id, job_id, url, body)
      SELECT gen_random_uuid(), $1::uuid, ${param(change.relay.url, "text")}, ${param(JSON.stringify(change.relay.body), "jsonb")} FROM updated)`);
  }
  const channel = param(JOB_CHANGES_CHANNEL, "text");
  const text = `WITH ${parts.join(",\n")}
    SELECT pg_notify(${channel}, json_build_object('id', id, 'upstreamJobId', upstream_job_id, 'state', state, 'version', version)::text) FROM updated`;
  return { text, values };
}

/** A row as the driver returns it (snake_case columns) in Prisma's field names. */
function camelCaseKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), value]));
}

/** Writes a change to the job row, bumping its version, and announces it. Pair with appendEvent. */
export async function updateJob(tx: Tx, jobId: string, data: Prisma.JobUpdateInput): Promise<JobRow> {
  const row = await tx.job.update({ where: { id: jobId }, data: { ...data, version: { increment: 1 } } });
  await notifyJobChanged(tx, row);
  return row;
}

/**
 * Appends to the timeline without announcing: for use beside updateJob, which announces. Past
 * MAX_EVENTS_PER_JOB entries the event is only counted: replays cannot grow a job's storage.
 */
export async function appendEvent(tx: Tx, jobId: string, event: NewEvent): Promise<void> {
  const counted = await tx.$executeRaw`UPDATE jobs SET stored_events = stored_events + 1 WHERE id = ${jobId}::uuid AND stored_events < ${MAX_EVENTS_PER_JOB}`;
  if (counted === 0) {
    await tx.$executeRaw`UPDATE jobs SET dropped_events = dropped_events + 1 WHERE id = ${jobId}::uuid`;
    return;
  }
  await tx.jobEvent.create({
    data: {
      jobId,
      kind: event.kind,
      verdict: event.verdict,
      payload: toStorableJson(event.payload),
      headers: event.headers,
      httpStatus: event.httpStatus,
      message: event.message,
    },
  });
}

/** Appends a timeline entry that changes nothing else (a duplicate, a stale or rejected delivery). */
export async function appendEventAndNotify(tx: Tx, job: JobRow, event: NewEvent): Promise<void> {
  await appendEvent(tx, job.id, event);
  await notifyJobChanged(tx, job);
}

async function notifyJobChanged(tx: Tx, job: Pick<JobRow, "id" | "upstreamJobId" | "state" | "version">): Promise<void> {
  const payload = JSON.stringify({ id: job.id, upstreamJobId: job.upstreamJobId, state: job.state, version: job.version });
  await tx.$executeRaw`SELECT pg_notify(${JOB_CHANGES_CHANNEL}, ${payload})`;
}

export function findJob(jobId: string): Promise<JobWithFiles | null> {
  return getDb().job.findUnique({ where: { id: jobId }, include: jobWithFiles });
}

export function findJobByUpstreamId(upstreamJobId: string, db: Tx = getDb()): Promise<JobWithFiles | null> {
  return db.job.findUnique({ where: { upstreamJobId }, include: jobWithFiles });
}

/** One page of a job's timeline, oldest first, after the event id `afterId`; one row over to know if more follow. */
export async function findJobEvents(jobId: string, { afterId, limit }: { afterId: bigint | null; limit: number }) {
  const rows = await getDb().jobEvent.findMany({
    where: { jobId, ...(afterId !== null ? { id: { gt: afterId } } : {}) },
    orderBy: { id: "asc" },
    take: limit + 1,
  });
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/**
 * A job by either of its ids: people paste Descript's job_id from logs as often as Jobdeck's.
 * Descript's ids are UUIDs too, so a UUID is looked up as both.
 */
export function findJobByAnyId(key: string): Promise<JobWithFiles | null> {
  const where: Prisma.JobWhereInput = z.uuid().safeParse(key).success
    ? { OR: [{ id: key.toLowerCase() }, { upstreamJobId: key }] }
    : { upstreamJobId: key };
  return getDb().job.findFirst({ where, include: jobWithFiles, orderBy: { createdAt: "asc" } });
}

/** The jobs that re-imported this one's failed files, oldest first. */
export async function findReimportIds(jobId: string): Promise<string[]> {
  const rows = await getDb().job.findMany({ where: { reimportOfId: jobId }, select: { id: true }, orderBy: { createdAt: "asc" } });
  return rows.map((row) => row.id);
}

// ---- Listing ----------------------------------------------------------------------------------

/** Rows past `after` in (field, id) order: the tie on equal timestamps is broken by id. */
function beyond(field: "createdAt" | "updatedAt", direction: "asc" | "desc", after: Keyset): Prisma.JobWhereInput {
  const past = direction === "desc" ? "lt" : "gt";
  return { OR: [{ [field]: { [past]: after.at } }, { [field]: after.at, id: { [past]: after.id } }] };
}

/**
 * The console's list, in one statement straight through the driver (./list-sql.ts, decision 0015);
 * text that is a whole job id or upstream id is looked up first.
 */
export async function listJobs(query: JobListFilters, after: Keyset | null): Promise<{ rows: JobSummaryRow[]; hasMore: boolean }> {
  const named = query.q ? (await getPool().query<{ id: string }>(jobsNamedByStatement(query.q))).rows.map((row) => row.id) : [];
  const { rows } = await getPool().query<JobSummaryRow>(jobListStatement(query, after, named));
  return { rows: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
}

/** Jobs as Descript's GET /jobs lists them: known upstream ids only, newest first. */
export async function listUpstreamJobs(filter: {
  projectId?: string;
  type?: string;
  createdAfter: Date;
  createdBefore?: Date;
  limit: number;
  after: Keyset | null;
}): Promise<{ rows: JobWithFiles[]; hasMore: boolean }> {
  const filters: Prisma.JobWhereInput[] = [
    { upstreamJobId: { not: null } },
    { createdAt: { gte: filter.createdAfter, ...(filter.createdBefore ? { lt: filter.createdBefore } : {}) } },
  ];
  if (filter.projectId) filters.push({ projectId: filter.projectId });
  if (filter.type) filters.push({ type: filter.type });
  if (filter.after) filters.push(beyond("createdAt", "desc", filter.after));
  const rows = await getDb().job.findMany({
    where: { AND: filters },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    include: jobWithFiles,
  });
  return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit };
}

// ---- Relays -----------------------------------------------------------------------------------

export interface ClaimedRelay {
  id: string;
  job_id: string;
  url: string;
  body: unknown;
  attempts: number;
}

/**
 * Takes up to `limit` due relays for this instance. SKIP LOCKED lets instances share the queue;
 * pushing next_attempt_at out by a lease means a relay whose instance died is retried later.
 */
export function claimDueRelays(limit: number, leaseSeconds: number): Promise<ClaimedRelay[]> {
  return getDb().$queryRaw<ClaimedRelay[]>`
    UPDATE callback_relays SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    WHERE id IN (
      SELECT id FROM callback_relays
      WHERE next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, job_id, url, body, attempts`;
}

/**
 * Records one attempt's outcome. Guarded by the attempt count it was claimed with: if the lease ran
 * out and another instance claimed the relay meanwhile, this late result is dropped. Times come
 * from the database's clock, like the claim's.
 */
export async function recordRelayAttempt(
  relay: ClaimedRelay,
  outcome: { delivered: boolean; abandon: boolean; retryInSeconds: number },
  event: NewEvent,
): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const updated = outcome.delivered
      ? await tx.$executeRaw`UPDATE callback_relays SET delivered_at = now(), next_attempt_at = NULL WHERE id = ${relay.id}::uuid AND attempts = ${relay.attempts}`
      : outcome.abandon
        ? await tx.$executeRaw`UPDATE callback_relays SET abandoned_at = now(), next_attempt_at = NULL WHERE id = ${relay.id}::uuid AND attempts = ${relay.attempts}`
        : await tx.$executeRaw`UPDATE callback_relays SET next_attempt_at = now() + make_interval(secs => ${outcome.retryInSeconds}) WHERE id = ${relay.id}::uuid AND attempts = ${relay.attempts}`;
    if (updated === 0) return;
    const job = await tx.job.findUniqueOrThrow({ where: { id: relay.job_id } });
    await appendEventAndNotify(tx, job, event);
  });
}

/**
 * Makes a payload storable and safe to show: Postgres jsonb refuses the NUL character (kept as the
 * text "\u0000" instead) and unpaired UTF-16 surrogates (replaced by U+FFFD, in keys too), and a
 * callback_url is a capability that belongs in no timeline.
 */
export function toStorableJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  const text = JSON.stringify(value, (key, item: unknown) => {
    if (key === "callback_url") return undefined;
    if (typeof item === "string") return toStorableText(item);
    if (item !== null && typeof item === "object" && !Array.isArray(item) && Object.keys(item).some((name) => toStorableText(name) !== name)) {
      return Object.fromEntries(Object.entries(item).map(([name, inner]) => [toStorableText(name), inner]));
    }
    return item;
  });
  return JSON.parse(text) as Prisma.InputJsonValue;
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function toStorableText(text: string): string {
  return text.replaceAll("\u0000", "\\u0000").replace(UNPAIRED_SURROGATE, "\uFFFD");
}

/** True when every string (and key) in `value` is stored as it is: no NUL, no unpaired surrogate. */
export function isStorableAsIs(value: unknown): boolean {
  const isClean = (text: string) => toStorableText(text) === text;
  if (typeof value === "string") return isClean(value);
  if (Array.isArray(value)) return value.every(isStorableAsIs);
  if (value !== null && typeof value === "object") return Object.entries(value).every(([key, item]) => isClean(key) && isStorableAsIs(item));
  return true;
}

/** What a timeline keeps of a body it need not keep whole (a duplicate, a stale or rejected delivery). */
export function summarizeBody(text: string): { sha256: string; bytes: number; excerpt: string } {
  return {
    sha256: crypto.createHash("sha256").update(text).digest("hex"),
    bytes: Buffer.byteLength(text),
    excerpt: toStorableText(text.slice(0, 500)),
  };
}
