"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import type { JobEventPage, JobEventView } from "@/lib/jobs/api-types";
import { fetchJobEvents } from "./api";
import { formatTime } from "./format";
import { jobDetailKeys } from "./query-keys";

const KIND_LABELS: Record<string, string> = {
  submitted: "Submitted",
  upstream_answered: "Descript answered",
  upstream_rejected: "Descript refused",
  upstream_unreachable: "Descript unreachable",
  callback_received: "Callback",
  poll_result: "Poll",
  cancel_requested: "Cancel requested",
  cancel_accepted: "Cancel accepted",
  cancel_failed: "Cancel failed",
  cancelled: "Cancelled",
  relayed: "Relayed to client",
};

const VERDICT_STYLES: Record<NonNullable<JobEventView["verdict"]>, string> = {
  applied: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
  duplicate: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  stale: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  rejected: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
};

/** Every event of a job, oldest first, with what arrived or was sent one click away. */
export function JobTimeline({ jobId, initialPage }: { jobId: string; initialPage: JobEventPage }) {
  const events = useInfiniteQuery({
    queryKey: jobDetailKeys.events(jobId),
    queryFn: ({ pageParam }) => fetchJobEvents(jobId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: { pages: [initialPage], pageParams: [null] },
  });

  if (events.isPending) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading the timeline…</p>;
  if (events.isError) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        Could not load the timeline: {events.error.message}
      </p>
    );
  }
  const items = events.data.pages.flatMap((page) => page.data);
  if (items.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing has happened to this job yet.</p>;
  return (
    <div className="space-y-3">
      <ol className="space-y-2" aria-label="Timeline">
        {items.map((event) => (
          <li key={event.id} data-event-kind={event.kind} className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
              <time dateTime={event.createdAt} className="font-mono text-xs text-zinc-600 dark:text-zinc-400">
                {formatTime(event.createdAt)}
              </time>
              <span className="font-medium">{KIND_LABELS[event.kind] ?? event.kind}</span>
              {event.verdict ? (
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${VERDICT_STYLES[event.verdict]}`}>{event.verdict}</span>
              ) : null}
              {event.httpStatus !== null ? <span className="font-mono text-xs">HTTP {event.httpStatus}</span> : null}
              {event.message ? <span className="text-zinc-700 dark:text-zinc-300">{event.message}</span> : null}
            </div>
            {event.payload !== null || event.headers !== null ? (
              <details className="mt-1">
                <summary className="cursor-pointer text-xs text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300">
                  Raw payload
                </summary>
                <pre className="mt-2 max-h-96 overflow-auto rounded bg-zinc-100 p-3 text-xs dark:bg-zinc-900">
                  {JSON.stringify({ payload: event.payload, headers: event.headers }, null, 2)}
                </pre>
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      {events.hasNextPage ? (
        <Button onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
          {events.isFetchingNextPage ? "Loading…" : "Load later events"}
        </Button>
      ) : null}
    </div>
  );
}
