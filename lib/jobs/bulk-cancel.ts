import "server-only";
// Bulk cancel for the console: each named job goes through the one cancel service on its own, so
// one job that cannot be cancelled (already ended, upstream refusing) never stops the others.
import type { CancelJobResult } from "./api-types";
import { listJobs } from "./repository";
import { toJobSummary } from "./serializers";
import { cancelJob, type Submitter } from "./service";

/** Few at a time: each cancel is an upstream DELETE and a read-back, and upstream limits our rate. */
const CONCURRENCY = 4;

export interface CancelJobsInput {
  ids: string[];
  reason?: string;
  requestedBy: Submitter;
  /** Turns a failure into the reported error (the route's one error mapping). */
  describeError: (error: unknown) => { code: string; status: number; detail: string };
}

export async function cancelJobs({ ids, reason, requestedBy, describeError }: CancelJobsInput): Promise<CancelJobResult[]> {
  const failures = new Map<string, { code: string; status: number; detail: string }>();
  const queue = [...ids];
  const work = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      await cancelJob({ jobId: id, reason, requestedBy }).catch((error: unknown) => failures.set(id, describeError(error)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, work));
  // Read every job back after all cancels: the answer shows each as it is now, not as it was asked.
  const { rows } = await listJobs({ ids, sort: "created_desc", limit: ids.length }, null);
  const jobs = new Map(rows.map((row) => [row.id, toJobSummary(row)]));
  return ids.map((id): CancelJobResult => {
    const failure = failures.get(id);
    const job = jobs.get(id);
    if (failure) return { id, ok: false, error: failure };
    if (!job) return { id, ok: false, error: { code: "not_found", status: 404, detail: `No job ${id}.` } };
    return { id, ok: true, job };
  });
}
