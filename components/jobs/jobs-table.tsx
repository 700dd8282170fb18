"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { flexRender, getCoreRowModel, useReactTable, type Row, type RowSelectionState } from "@tanstack/react-table";
import { useQueryStates } from "nuqs";
import { memo, useRef, useState, type ReactNode } from "react";
import type { JobSummary } from "@/lib/jobs/api-types";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";
import { fetchJobs } from "./api";
import { useViewer } from "@/components/auth/viewer";
import { CancelJobsDialog } from "./cancel-jobs-dialog";
import { isCancellable, jobColumns, type JobTableContext } from "./job-columns";
import { JobFilters } from "./job-filters";
import { jobKeys } from "./query-keys";
import { hasFilters, jobViewParams, serializeJobView, toFilterQuery, toListQuery } from "./search-params";
import { POLL_MS, useJobChanges, type JobChangesStatus } from "./use-job-changes";

const NO_JOBS: JobSummary[] = [];
/** The filters read the URL themselves: a patched row is no reason to render them again. */
const StableJobFilters = memo(JobFilters);

/** The live job table of /jobs: the view in the URL, rows in TanStack Query's cache. */
export function JobsTable({ retentionDays }: { retentionDays: number }) {
  const queryClient = useQueryClient();
  const [view, setView] = useQueryStates(jobViewParams);
  const query = toListQuery(view);
  const filters = toFilterQuery(view);
  const viewKey = JSON.stringify(filters);
  const jobs = useQuery({
    queryKey: jobKeys.list(query),
    queryFn: () => fetchJobs(query),
    // The change stream patches rows in place; refetching the list would move rows under the user.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    // One retry, then say so: a failing list should not pass for seconds of "Loading jobs…".
    retry: 1,
  });
  const rows = jobs.data?.data ?? NO_JOBS;

  const [newJobs, setNewJobs] = useState<{ viewKey: string; ids: string[] }>({ viewKey, ids: [] });
  const newJobIds = newJobs.viewKey === viewKey ? newJobs.ids : [];
  const status = useJobChanges({
    view: { filters, isFirstPage: !view.cursor, rows },
    onNewJobs: (ids) =>
      setNewJobs((current) => {
        const known = current.viewKey === viewKey ? current.ids : [];
        const shown = new Set(rows.map((job) => job.id));
        return { viewKey, ids: [...new Set([...known, ...ids])].filter((id) => !shown.has(id)) };
      }),
  });

  const [announcement, setAnnouncement] = useState("");
  const [cancelling, setCancelling] = useState<JobSummary[]>([]);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const isHydrated = useHydrated();
  const { can, canCancel } = useViewer();
  const mayBulkCancel = can("jobs:cancel-any");
  const meta: JobTableContext = { retentionDays, isHydrated, onCancel: (job) => setCancelling([job]), mayCancel: canCancel };
  const table = useReactTable({
    data: rows,
    columns: jobColumns,
    meta,
    getRowId: (job) => job.id,
    getCoreRowModel: getCoreRowModel(),
    // Selecting is for bulk cancel, which only ops may do.
    enableRowSelection: (row) => mayBulkCancel && isCancellable(row.original),
    state: { rowSelection },
    onRowSelectionChange: setRowSelection,
  });
  // Only rows on screen that can still be cancelled count: a job that ended meanwhile drops out.
  const selected = table.getSelectedRowModel().rows.map((row) => row.original).filter(isCancellable);

  const tableRef = useRef<HTMLTableElement>(null);
  const showNewJobs = () => {
    setNewJobs({ viewKey, ids: [] });
    if (view.cursor) void setView({ cursor: null });
    else void queryClient.invalidateQueries({ queryKey: jobKeys.list(query), exact: true });
    tableRef.current?.focus();
  };

  const columnCount = table.getVisibleLeafColumns().length;
  return (
    <div className="space-y-3">
      <StableJobFilters />
      <div className="flex min-h-9 flex-wrap items-center gap-3">
        <StreamStatus status={status} />
        {newJobIds.length > 0 && (
          <Button size="sm" variant="primary" onClick={showNewJobs}>
            {newJobIds.length === 1 ? "1 new job" : `${newJobIds.length} new jobs`} — show
          </Button>
        )}
        {selected.length > 0 && (
          <div className="ml-auto flex items-center gap-2 text-sm">
            <span>{selected.length} selected</span>
            <Button size="sm" variant="danger" onClick={() => setCancelling(selected)}>
              Cancel selected
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setRowSelection({})}>
              Clear selection
            </Button>
          </div>
        )}
      </div>
      <p role="status" aria-live="polite" className="text-sm empty:hidden">
        {announcement}
      </p>
      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table ref={tableRef} tabIndex={-1} aria-label="Jobs" aria-busy={jobs.isFetching} className="min-w-full divide-y divide-zinc-200 text-xs focus:outline-none dark:divide-zinc-800">
          <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-700 uppercase dark:bg-zinc-900 dark:text-zinc-300">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className="px-2 py-2 whitespace-nowrap first:pl-3">
                    {flexRender(header.column.columnDef.header, header.getContext())}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/60">
            {jobs.isPending ? (
              <MessageRow colSpan={columnCount}>
                <span role="status">Loading jobs…</span>
              </MessageRow>
            ) : jobs.isError ? (
              <MessageRow colSpan={columnCount}>
                <div role="alert" className="space-y-2 text-red-800 dark:text-red-200">
                  <p className="font-medium">The job list could not be loaded — this is not an empty list.</p>
                  <p className="text-sm">{jobs.error.message}</p>
                  <Button size="sm" onClick={() => void jobs.refetch()}>
                    Try again
                  </Button>
                </div>
              </MessageRow>
            ) : rows.length === 0 ? (
              <MessageRow colSpan={columnCount}>
                {hasFilters(view) ? (
                  <>No jobs match these filters. Clear them to see every job.</>
                ) : view.cursor ? (
                  <>No more jobs on this page.</>
                ) : (
                  <>
                    No jobs yet. Submit work through the proxy at <code className="font-mono text-xs">/api/v1/jobs/…</code> and it appears here as it
                    happens.
                  </>
                )}
              </MessageRow>
            ) : (
              table.getRowModel().rows.map((row) => (
                <JobRow
                  key={row.id}
                  row={row}
                  job={row.original}
                  isSelected={row.getIsSelected()}
                  canSelect={row.getCanSelect()}
                  isHydrated={isHydrated}
                  mayCancel={canCancel}
                />
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex items-center gap-2">
        {view.cursor && (
          <PageLink href={serializeJobView({ ...view, cursor: null })} onClick={() => void setView({ cursor: null }, { history: "push" })}>
            First page
          </PageLink>
        )}
        {jobs.data?.nextCursor && (
          <PageLink href={serializeJobView({ ...view, cursor: jobs.data.nextCursor })} onClick={() => void setView({ cursor: jobs.data.nextCursor }, { history: "push" })}>
            Next page
          </PageLink>
        )}
      </nav>
      <CancelJobsDialog
        jobs={cancelling}
        askedFrom="table"
        onOpenChange={(open) => !open && setCancelling([])}
        fallbackFocus={() => tableRef.current}
        onDone={(report) => {
          setAnnouncement(report);
          setRowSelection({});
        }}
      />
    </div>
  );
}

/** A real link (works without JavaScript); with it, the page changes without a reload. */
function PageLink({ href, onClick, children }: { href: string; onClick: () => void; children: ReactNode }) {
  return (
    <a
      href={href}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        onClick();
      }}
      className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-zinc-700 dark:hover:bg-zinc-800"
    >
      {children}
    </a>
  );
}

function StreamStatus({ status }: { status: JobChangesStatus }) {
  if (status === "offline") {
    return (
      <p role="alert" className="rounded-md bg-amber-100 px-3 py-1.5 text-sm text-amber-950 dark:bg-amber-900/50 dark:text-amber-100">
        Live updates are interrupted. Checking for changes every {POLL_MS / 1000} s while reconnecting…
      </p>
    );
  }
  return (
    <p className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-300">
      <span aria-hidden className={`inline-block size-2 rounded-full ${status === "live" ? "bg-emerald-500" : "bg-zinc-400"}`} />
      {status === "live" ? "Live" : "Connecting…"}
    </p>
  );
}

interface JobRowProps {
  row: Row<JobSummary>;
  /** The row's job: a patch replaces only the changed jobs' objects, so only their rows re-render. */
  job: JobSummary;
  isSelected: boolean;
  canSelect: boolean;
  isHydrated: boolean;
  mayCancel: JobTableContext["mayCancel"];
}

/**
 * One table row, re-rendered only when its job, its selection or what its cells read changes: a
 * pushed change to one job renders that row, not the page. Cells read the rest from the table's meta.
 */
const JobRow = memo(
  function JobRow({ row, isSelected }: JobRowProps) {
    return (
      <tr data-job-id={row.id} data-state={row.original.state} className={isSelected ? "bg-indigo-50 dark:bg-indigo-950/40" : undefined}>
        {row.getVisibleCells().map((cell) => (
          <td key={cell.id} className="px-2 py-2 align-top first:pl-3">
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        ))}
      </tr>
    );
  },
  (previous, next) =>
    previous.job === next.job &&
    previous.isSelected === next.isSelected &&
    previous.canSelect === next.canSelect &&
    previous.isHydrated === next.isHydrated &&
    previous.mayCancel === next.mayCancel,
);

function MessageRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-4 py-10 text-center text-sm text-zinc-700 dark:text-zinc-300">
        {children}
      </td>
    </tr>
  );
}
