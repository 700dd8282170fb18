"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { JobListQuery, JobSummary } from "@/lib/jobs/api-types";
import { fetchJobs } from "./api";
import { subscribeToChangeStream, type ChangeStreamStatus } from "./change-stream";
import { createChangeApplier } from "./change-applier";
import { fetchJobsInChunks, invalidateJobQueriesNaming, listedJobIds, patchJobRows, refreshJobRows } from "./job-cache";
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
 * Keeps cached job rows true from the browser's one change stream (components/jobs/change-stream.ts).
 * The stream carries the changed rows themselves: they replace cached rows in place, with no
 * request, paced and held while the tab is hidden (components/jobs/change-applier.ts). A job
 * created while the page is open is reported through `onNewJobs` if it matches the view (one
 * request by id with the view's filters). On `ready`/`resync` what is shown is read again once;
 * while the stream is down the console API is polled until it is back.
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
    const sync = () => void syncView(queryClient, optionsRef.current).catch(() => {});
    const applier = createChangeApplier({
      isShown: (jobs) => {
        const listed = listedJobIds(queryClient);
        return jobs.some((job) => listed.has(job.id));
      },
      isHidden: () => document.visibilityState === "hidden",
      apply: (batch) => applyJobs(queryClient, batch, optionsRef.current),
      onOverflow: sync,
    });
    const onVisibilityChange = () => {
      if (document.visibilityState === "visible") applier.resume();
    };
    document.addEventListener("visibilitychange", onVisibilityChange);
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
          applier.add(message.jobs, message.created);
          break;
      }
    });
    return () => {
      unsubscribe();
      stopPolling();
      document.removeEventListener("visibilitychange", onVisibilityChange);
      applier.stop();
    };
  }, [queryClient]);
  return status;
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
