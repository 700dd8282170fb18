// The job rows in TanStack Query's cache (the client's one store of job state): which jobs the
// cached lists show, and patching those rows in place with fresh copies.
import type { QueryClient } from "@tanstack/react-query";
import { MAX_JOB_IDS, type JobListPage, type JobListQuery, type JobSummary } from "@/lib/jobs/api-types";
import { fetchJobsByIds } from "./api";
import { jobKeys } from "./query-keys";

/** Whether `fresh` may replace `held`: not older (a late copy must not undo a newer one). */
export function isNotOlder(fresh: JobSummary, held: JobSummary): boolean {
  return Date.parse(fresh.updatedAt) >= Date.parse(held.updatedAt);
}

/** Adds `jobs` to `held` (by id), keeping the newest copy of each. */
export function keepNewest(held: Map<string, JobSummary>, jobs: JobSummary[]): void {
  for (const job of jobs) {
    const current = held.get(job.id);
    if (!current || isNotOlder(job, current)) held.set(job.id, job);
  }
}

export function listedJobIds(queryClient: QueryClient): Set<string> {
  const ids = new Set<string>();
  for (const [, page] of queryClient.getQueriesData<JobListPage>({ queryKey: jobKeys.lists() })) {
    for (const job of page?.data ?? []) ids.add(job.id);
  }
  return ids;
}

/**
 * Replaces rows by id in every cached list, in place: no row moves, none appears or goes, and a
 * copy older than the cached row is ignored. Unchanged rows keep their object, so a memoized row
 * component re-renders only for the rows that changed.
 */
export function patchJobRows(queryClient: QueryClient, jobs: JobSummary[]): void {
  if (jobs.length === 0) return;
  const fresh = new Map(jobs.map((job) => [job.id, job]));
  // Only the lists that change are written: the others keep their data and their observers sleep.
  for (const [queryKey, page] of queryClient.getQueriesData<JobListPage>({ queryKey: jobKeys.lists() })) {
    if (!page) continue;
    let isChanged = false;
    const data = page.data.map((job) => {
      const next = fresh.get(job.id);
      if (!next || next === job || !isNotOlder(next, job)) return job;
      isChanged = true;
      return next;
    });
    if (isChanged) queryClient.setQueryData<JobListPage>(queryKey, { ...page, data });
  }
}

/** Fetches jobs by id, at most MAX_JOB_IDS per request, optionally only those matching `filters`. */
export async function fetchJobsInChunks(ids: string[], filters?: JobListQuery): Promise<JobSummary[]> {
  const jobs: JobSummary[] = [];
  for (let start = 0; start < ids.length; start += MAX_JOB_IDS) {
    const page = await fetchJobsByIds(ids.slice(start, start + MAX_JOB_IDS), filters);
    jobs.push(...page.data);
  }
  return jobs;
}

/** Reads the given jobs again and patches their rows. */
export async function refreshJobRows(queryClient: QueryClient, ids: string[]): Promise<void> {
  patchJobRows(queryClient, await fetchJobsInChunks(ids));
}

/**
 * Job queries other than lists (a job's own page, whatever its key) that name one of `ids`:
 * they are refetched, as they may hold more than a row does.
 */
export function invalidateJobQueriesNaming(queryClient: QueryClient, ids: Array<string | null>): Promise<void> {
  const named = new Set(ids.filter((id): id is string => id !== null));
  return queryClient.invalidateQueries({
    queryKey: jobKeys.all,
    predicate: (query) => query.queryKey[1] !== "list" && query.queryKey.some((part) => typeof part === "string" && named.has(part)),
  });
}
