"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { JobListQuery, JobSummary } from "@/lib/jobs/api-types";
import { fetchJobs } from "./api";
import { subscribeToChangeStream, type ChangeStreamStatus } from "./change-stream";
import { fetchJobsInChunks, invalidateJobQueriesNaming, keepNewest, listedJobIds, patchJobRows, refreshJobRows } from "./job-cache";
import { jobKeys } from "./query-keys";

/** "live": the change stream is open. "offline": it dropped; polling until it reconnects. */
export type JobChangesStatus = ChangeStreamStatus;

export interface JobChangesOptions {
  /** The list on screen: its filters, whether it is the first page, and its rows. */
  view?: { filters: JobListQuery; isFirstPage: boolean; rows: JobSummary[] };
  /** Jobs that appeared and match the view: shown as "N new jobs", never slipped into the page. */
  onNewJobs?: (ids: string[]) => void;
}

/** How often the console API is polled while the stream is down. */
export const POLL_MS = 3_000;

/**
 * Rows on screen change at most this often: under a flood a tab renders four times a second, as
 * often as a person can read a changing row, rather than once per batch. Twenty tabs rendering
 * every batch took the CPU the app's callbacks needed (docs/decisions/0009). A change to a row
 * this tab does not show is applied at once (it renders nothing), so it never delays the next
 * change to one it does.
 */
export const RENDER_MS = 250;

/**
 * Keeps cached job rows true from the browser's one change stream (components/jobs/change-stream.ts).
 * The stream carries the changed rows themselves: they replace cached rows in place, with no
 * request. A job created while the page is open is reported through `onNewJobs` if it matches the
 * view (one request by id with the view's filters). On `ready`/`resync` what is shown is read again
 * once; while the stream is down the console API is polled until it is back.
 */
export function useJobChanges(options: JobChangesOptions = {}): JobChangesStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<JobChangesStatus>("connecting");
  const optionsRef = useRef(options);
  useEffect(() => {
    optionsRef.current = options;
  });

  useEffect(() => {
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    // Batches heard meanwhile are merged and applied in one render: a tab that falls behind a
    // flood catches up in one step instead of rendering every batch in turn.
    const pendingJobs = new Map<string, JobSummary>();
    const pendingCreated = new Set<string>();
    let applyTimer: ReturnType<typeof setTimeout> | undefined;
    let applyDueAt = 0;
    let lastShownChangeAt = 0;
    const apply = () => {
      applyTimer = undefined;
      const jobs = [...pendingJobs.values()];
      const created = [...pendingCreated];
      pendingJobs.clear();
      pendingCreated.clear();
      if (showsAny(queryClient, jobs)) lastShownChangeAt = Date.now();
      applyJobs(queryClient, { jobs, created }, optionsRef.current);
    };
    // Due at once, or, when a pending row is on screen, RENDER_MS after the last such change.
    const scheduleApply = () => {
      const dueAt = showsAny(queryClient, [...pendingJobs.values()]) ? lastShownChangeAt + RENDER_MS : 0;
      if (applyTimer !== undefined) {
        if (applyDueAt >= dueAt) return;
        clearTimeout(applyTimer);
      }
      applyDueAt = dueAt;
      applyTimer = setTimeout(apply, Math.max(0, dueAt - Date.now()));
    };
    const sync = () => void syncView(queryClient, optionsRef.current).catch(() => {});
    const stopPolling = () => {
      clearInterval(pollTimer);
      pollTimer = undefined;
    };
    const unsubscribe = subscribeToChangeStream((message) => {
      switch (message.type) {
        case "status":
          setStatus(message.status);
          if (message.status === "offline") pollTimer ??= setInterval(sync, POLL_MS);
          else stopPolling();
          break;
        case "ready":
        case "resync":
          // Changes made before the stream opened (since the page was rendered, or while it was down).
          sync();
          break;
        case "jobs":
          keepNewest(pendingJobs, message.jobs);
          for (const id of message.created) pendingCreated.add(id);
          scheduleApply();
          break;
      }
    });
    return () => {
      unsubscribe();
      stopPolling();
      clearTimeout(applyTimer);
    };
  }, [queryClient]);
  return status;
}

function showsAny(queryClient: QueryClient, jobs: JobSummary[]): boolean {
  const listed = listedJobIds(queryClient);
  return jobs.some((job) => listed.has(job.id));
}

function applyJobs(queryClient: QueryClient, { jobs, created }: { jobs: JobSummary[]; created: string[] }, { view, onNewJobs }: JobChangesOptions): void {
  const listed = listedJobIds(queryClient);
  patchJobRows(queryClient, jobs);
  void invalidateJobQueriesNaming(
    queryClient,
    jobs.flatMap((job) => [job.id, job.upstreamJobId]),
  );
  // Only jobs created while the page is open can be "new", never an old job that changed.
  const fresh = created.filter((id) => !listed.has(id));
  if (fresh.length && view && onNewJobs) {
    void fetchJobsInChunks(fresh, view.filters)
      .then((matching) => matching.length && onNewJobs(matching.map((job) => job.id)))
      .catch(() => {
        // The next sync (a reconnect, or polling) finds them on the first page.
      });
  }
}

/**
 * Catches up after changes may have been missed (stream opened, reconnected, or down and polling):
 * every listed row is read again, and on the first page the view's newest jobs are checked for
 * ones not yet shown (newer than any shown).
 */
async function syncView(queryClient: QueryClient, { view, onNewJobs }: JobChangesOptions): Promise<void> {
  const listed = listedJobIds(queryClient);
  void queryClient.invalidateQueries({ queryKey: jobKeys.all, predicate: (query) => query.queryKey[1] !== "list" });
  await Promise.all([
    listed.size ? refreshJobRows(queryClient, [...listed]) : undefined,
    // Only where new jobs would appear: the first page of a newest-first view.
    view?.isFirstPage && view.filters.sort !== "created_asc" && onNewJobs
      ? findUnshownJobs(view).then((ids) => ids.length && onNewJobs(ids))
      : undefined,
  ]);
}

async function findUnshownJobs(view: NonNullable<JobChangesOptions["view"]>): Promise<string[]> {
  const shown = new Set(view.rows.map((job) => job.id));
  const newestShown = Math.max(-Infinity, ...view.rows.map((job) => Date.parse(job.createdAt)));
  const newest = await fetchJobs({ ...view.filters, sort: "created_desc", limit: 25 });
  return newest.data.filter((job) => !shown.has(job.id) && Date.parse(job.createdAt) > newestShown).map((job) => job.id);
}
