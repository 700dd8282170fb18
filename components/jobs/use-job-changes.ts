"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { JobListQuery, JobSummary } from "@/lib/jobs/api-types";
import { fetchJobs } from "./api";
import { fetchJobsInChunks, invalidateJobQueriesNaming, listedJobIds, refreshJobRows } from "./job-cache";
import { jobKeys } from "./query-keys";

/** "live": the change stream is open. "offline": it dropped; polling until it reconnects. */
export type JobChangesStatus = "connecting" | "live" | "offline";

export interface JobChangesOptions {
  /** The list on screen: its filters, whether it is the first page, and its rows. */
  view?: { filters: JobListQuery; isFirstPage: boolean; rows: JobSummary[] };
  /** Jobs that appeared and match the view: shown as "N new jobs", never slipped into the page. */
  onNewJobs?: (ids: string[]) => void;
}

/** Changes arriving this close together are fetched in one request. */
const BATCH_MS = 40;
/** How often the console API is polled while the stream is down. */
export const POLL_MS = 3_000;
const RECONNECT_MS = [1_000, 2_000, 4_000, 8_000];

interface JobChangeEvent {
  id: string;
  upstreamJobId: string | null;
  state: string;
}

/**
 * Keeps cached job rows true from the server's change stream (LISTEN/NOTIFY behind
 * /api/jobs/changes). A change fetches just the changed jobs by id and patches their rows in place;
 * a job created while the page is open is reported through `onNewJobs` if it matches the view.
 * When the stream drops, the console API is polled until it reconnects (with backoff).
 */
export function useJobChanges(options: JobChangesOptions = {}): JobChangesStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<JobChangesStatus>("connecting");
  const optionsRef = useRef(options);
  useEffect(() => {
    optionsRef.current = options;
  });

  useEffect(() => {
    let source: EventSource | null = null;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let batchTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const changed = new Map<string, JobChangeEvent>();
    // Jobs whose creation this page heard of: only these can be "new", never an old job that changed.
    const createdWhileOpen = new Set<string>();

    const flush = () => {
      batchTimer = undefined;
      const changes = [...changed.values()];
      changed.clear();
      void applyChanges(queryClient, changes, createdWhileOpen, optionsRef.current).catch(() => {
        // A failed fetch leaves the rows as they were; the next change or poll brings them up to date.
      });
    };
    const sync = () => void syncView(queryClient, optionsRef.current).catch(() => {});
    const stopPolling = () => {
      clearInterval(pollTimer);
      pollTimer = undefined;
    };

    const connect = () => {
      source = new EventSource("/api/jobs/changes");
      source.addEventListener("ready", () => {
        attempt = 0;
        setStatus("live");
        stopPolling();
        // Changes made before the stream opened (since the page was rendered, or while it was down).
        sync();
      });
      source.addEventListener("resync", sync);
      source.addEventListener("job", (event: MessageEvent<string>) => {
        const change = JSON.parse(event.data) as JobChangeEvent;
        if (change.state === "submitting") createdWhileOpen.add(change.id);
        changed.set(change.id, change);
        batchTimer ??= setTimeout(flush, BATCH_MS);
      });
      source.addEventListener("error", () => {
        // EventSource would retry on its own, but not after every kind of failure: one way for all.
        source?.close();
        source = null;
        setStatus("offline");
        pollTimer ??= setInterval(sync, POLL_MS);
        reconnectTimer = setTimeout(connect, RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]);
        attempt += 1;
      });
    };
    connect();
    return () => {
      source?.close();
      clearTimeout(reconnectTimer);
      clearTimeout(batchTimer);
      stopPolling();
    };
  }, [queryClient]);
  return status;
}

async function applyChanges(
  queryClient: QueryClient,
  changes: JobChangeEvent[],
  createdWhileOpen: Set<string>,
  { view, onNewJobs }: JobChangesOptions,
): Promise<void> {
  const listed = listedJobIds(queryClient);
  const shown = changes.filter((change) => listed.has(change.id)).map((change) => change.id);
  const fresh = changes.filter((change) => !listed.has(change.id) && createdWhileOpen.has(change.id)).map((change) => change.id);
  void invalidateJobQueriesNaming(
    queryClient,
    changes.flatMap((change) => [change.id, change.upstreamJobId]),
  );
  await Promise.all([
    shown.length ? refreshJobRows(queryClient, shown) : undefined,
    fresh.length && view && onNewJobs
      ? fetchJobsInChunks(fresh, view.filters).then((jobs) => jobs.length && onNewJobs(jobs.map((job) => job.id)))
      : undefined,
  ]);
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
