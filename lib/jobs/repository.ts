import "server-only";
// The only code that touches Prisma for jobs. Every write that changes a job runs inside a
// transaction that also appends to its timeline and announces the change (NOTIFY is delivered at
// commit, so listeners never hear of a change that was rolled back).
import { z } from "zod";
import { Prisma, type EventVerdict, type JobEventKind } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/server/db";
import type { JobListFilters, JobSort } from "./api-types";

export const JOB_CHANGES_CHANNEL = "jobdeck_job_changes";

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
        clientCallbackUrl: job.clientCallbackUrl,
        reimportOfId: job.reimportOfId ?? null,
        files: { create: job.files },
      },
    });
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

/** Writes a change to the job row, bumping its version, and announces it. Pair with appendEvent. */
export async function updateJob(tx: Tx, jobId: string, data: Prisma.JobUpdateInput): Promise<JobRow> {
  const row = await tx.job.update({ where: { id: jobId }, data: { ...data, version: { increment: 1 } } });
  await notifyJobChanged(tx, row);
  return row;
}

/** Appends to the timeline without announcing: for use beside updateJob, which announces. */
export async function appendEvent(tx: Tx, jobId: string, event: NewEvent): Promise<void> {
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

export async function upsertFiles(
  tx: Tx,
  jobId: string,
  files: Array<{ reference: string; status: "success" | "failed" | "pending"; durationSeconds: number | null; errorMessage: string | null }>,
): Promise<void> {
  for (const file of files) {
    const values = { status: file.status, durationSeconds: file.durationSeconds, errorMessage: file.errorMessage };
    await tx.jobFile.upsert({
      where: { jobId_reference: { jobId, reference: file.reference } },
      create: { jobId, reference: file.reference, ...values },
      update: values,
    });
  }
}

export async function enqueueRelay(tx: Tx, relay: { jobId: string; url: string; body: Prisma.InputJsonValue }): Promise<void> {
  await tx.callbackRelay.create({ data: relay });
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

export function findJobEvents(jobId: string) {
  return getDb().jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" } });
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

/** One page of a job's timeline, oldest first, after the event id `afterId` (keyset on the serial id). */
export async function findJobEventsPage(jobId: string, afterId: bigint | null, limit: number) {
  const rows = await getDb().jobEvent.findMany({
    where: { jobId, ...(afterId === null ? {} : { id: { gt: afterId } }) },
    orderBy: { id: "asc" },
    take: limit + 1,
  });
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** The jobs that re-imported this one's failed files, oldest first. */
export async function findReimportIds(jobId: string): Promise<string[]> {
  const rows = await getDb().job.findMany({ where: { reimportOfId: jobId }, select: { id: true }, orderBy: { createdAt: "asc" } });
  return rows.map((row) => row.id);
}

// ---- Listing ----------------------------------------------------------------------------------

const SORTS: Record<JobSort, { field: "createdAt" | "updatedAt"; direction: "asc" | "desc" }> = {
  created_desc: { field: "createdAt", direction: "desc" },
  created_asc: { field: "createdAt", direction: "asc" },
  updated_desc: { field: "updatedAt", direction: "desc" },
};

export interface Keyset {
  at: Date;
  id: string;
}

/** Rows past `after` in (field, id) order: the tie on equal timestamps is broken by id. */
function beyond(field: "createdAt" | "updatedAt", direction: "asc" | "desc", after: Keyset): Prisma.JobWhereInput {
  const past = direction === "desc" ? "lt" : "gt";
  return { OR: [{ [field]: { [past]: after.at } }, { [field]: after.at, id: { [past]: after.id } }] };
}

/** The console's list: filters, then keyset paging on (sort field, id), one row over to know if more follow. */
export async function listJobs(
  query: JobListFilters,
  after: Keyset | null,
): Promise<{ rows: JobWithFiles[]; hasMore: boolean }> {
  const { field, direction } = SORTS[query.sort];
  const filters: Prisma.JobWhereInput[] = [];
  if (query.state) filters.push({ state: query.state });
  if (query.outcome) filters.push({ outcome: query.outcome });
  if (query.type) filters.push({ type: query.type });
  if (query.project) {
    filters.push({ OR: [{ projectId: query.project }, { projectName: { contains: query.project, mode: "insensitive" } }] });
  }
  if (query.createdFrom) filters.push({ createdAt: { gte: new Date(query.createdFrom) } });
  if (query.createdTo) filters.push({ createdAt: { lt: new Date(query.createdTo) } });
  if (query.q) filters.push({ OR: textMatches(query.q) });
  if (after) filters.push(beyond(field, direction, after));
  const rows = await getDb().job.findMany({
    where: { AND: filters },
    orderBy: [{ [field]: direction }, { id: direction }],
    take: query.limit + 1,
    include: jobWithFiles,
  });
  return { rows: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
}

function textMatches(text: string): Prisma.JobWhereInput[] {
  // Prisma passes `contains` to LIKE unescaped: a user's % or _ must match itself, not everything.
  const contains = { contains: text.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" as const };
  const matches: Prisma.JobWhereInput[] = [
    { upstreamJobId: contains },
    { projectId: contains },
    { projectName: contains },
    { files: { some: { reference: contains } } },
  ];
  if (z.uuid().safeParse(text).success) matches.push({ id: text.toLowerCase() });
  return matches;
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
 * text "\u0000" instead), and a callback_url is a capability that belongs in no timeline.
 */
export function toStorableJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  const text = JSON.stringify(value, (key, item: unknown) => {
    if (key === "callback_url") return undefined;
    return typeof item === "string" ? item.replaceAll("\u0000", "\\u0000") : item;
  });
  return JSON.parse(text) as Prisma.InputJsonValue;
}
