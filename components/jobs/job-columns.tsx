"use client";
// The job table's columns (TanStack Table): what each cell shows of a job summary.
import { createColumnHelper, type Table } from "@tanstack/react-table";
import Link from "next/link";
import type { JobSummary } from "@/lib/jobs/api-types";
import { canRequestCancel, isTerminal } from "@/lib/jobs/state-machine";
import { Button } from "@/components/ui/button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useClock } from "@/components/ui/use-clock";
import { jobLabel } from "./cancel-jobs-dialog";
import { formatDate, formatDateTime, formatDuration, recordExpiresAt } from "./format";
import { JobOutcomeBadge, StateBadge } from "./job-state-badge";
import { JOB_TYPE_LABELS } from "./search-params";

/**
 * What the cells need beyond the row, passed as the table's meta: the columns stay one constant,
 * so a ticking clock re-renders cells without remounting them (which would drop keyboard focus).
 */
export interface JobTableContext {
  retentionDays: number;
  /** False on the server and while hydrating: times in UTC. */
  isHydrated: boolean;
  onCancel: (job: JobSummary) => void;
  /** Whether the viewer may cancel this job (lib/auth/permissions.ts); the server decides again. */
  mayCancel: (job: JobSummary) => boolean;
}

const column = createColumnHelper<JobSummary>();
const MUTED = "text-zinc-600 dark:text-zinc-300";

export function isCancellable(job: JobSummary): boolean {
  return canRequestCancel(job.state) && job.upstreamJobId !== null;
}

/** While Descript works on a project, edits made in Descript's editor conflict with the job's. */
function isWorking(job: JobSummary): boolean {
  return !isTerminal(job.state);
}

const contextOf = (table: Table<JobSummary>) => table.options.meta as JobTableContext;

export const jobColumns = [
  column.display({
    id: "select",
    header: ({ table }) => (
      <input
        type="checkbox"
        aria-label="Select every job on this page that can be cancelled"
        checked={table.getIsAllRowsSelected()}
        ref={(input) => {
          if (input) input.indeterminate = table.getIsSomeRowsSelected();
        }}
        disabled={!table.getRowModel().rows.some((row) => row.getCanSelect())}
        onChange={table.getToggleAllRowsSelectedHandler()}
        className="size-4 accent-indigo-600"
      />
    ),
    cell: ({ row }) =>
      row.getCanSelect() ? (
        <input
          type="checkbox"
          aria-label={`Select job ${jobLabel(row.original)}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
          className="size-4 accent-indigo-600"
        />
      ) : null,
  }),
  column.accessor((job) => jobLabel(job), {
    id: "job",
    header: "Job",
    cell: ({ row: { original: job } }) => (
      <div className="w-32">
        <Link
          href={`/jobs/${job.id}`}
          title={jobLabel(job)}
          aria-label={`Job ${jobLabel(job)}`}
          className="font-mono text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
        >
          {shortJobId(job)}
        </Link>
        {isWorking(job) && (
          <p className="mt-0.5 text-amber-800 dark:text-amber-300" title="Edits made in Descript while the job runs conflict with the job's own changes.">
            Don’t open the project in Descript while it runs
          </p>
        )}
      </div>
    ),
  }),
  column.accessor("type", {
    header: "Type",
    cell: (info) => (
      <span className="whitespace-nowrap" title={info.getValue()}>
        {JOB_TYPE_LABELS[info.getValue()] ?? info.getValue()}
      </span>
    ),
  }),
  column.accessor((job) => job.projectName ?? job.projectId ?? "", {
    id: "project",
    header: "Project",
    cell: ({ row: { original: job } }) => <span className="line-clamp-2 block max-w-44 min-w-24 break-words">{job.projectName ?? job.projectId ?? "—"}</span>,
  }),
  column.accessor("state", {
    header: "State",
    cell: ({ row: { original: job } }) => (
      <div className="flex flex-col items-start gap-1">
        <StateBadge state={job.state} />
        {job.stuckReason && (
          <span
            className="rounded bg-red-100 px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap text-red-900 dark:bg-red-950 dark:text-red-200"
            title={job.stuckReason}
          >
            Stuck<span className="sr-only">: {job.stuckReason}</span>
          </span>
        )}
      </div>
    ),
  }),
  column.accessor("outcome", {
    header: "Outcome",
    cell: ({ row: { original: job } }) => (job.outcome ? <JobOutcomeBadge outcome={job.outcome} /> : <span className={MUTED}>—</span>),
  }),
  column.display({
    id: "progress",
    header: "Progress",
    cell: ({ row: { original: job } }) =>
      job.progress ? (
        <ProgressBar percent={job.progress.percent} label={job.progress.label ?? "Working"} />
      ) : (
        <span className={MUTED}>{progressWord(job)}</span>
      ),
  }),
  column.display({
    id: "files",
    header: "Files",
    cell: ({ row: { original: job } }) => {
      const { total, succeeded, failed } = job.fileCounts;
      if (total === 0) return <span className={MUTED}>—</span>;
      return (
        <span className="whitespace-nowrap tabular-nums" aria-label={`${succeeded} of ${total} files ok, ${failed} failed`}>
          {succeeded}/{total} ok
          {failed > 0 && <span className="ml-1 font-medium text-red-700 dark:text-red-300">· {failed} failed</span>}
        </span>
      );
    },
  }),
  column.accessor("submittedBy", { header: "Submitted by", cell: (info) => <span className="block max-w-28 truncate" title={info.getValue()}>{info.getValue()}</span> }),
  column.accessor("createdAt", {
    header: "Created",
    cell: ({ row: { original: job }, table }) => {
      const context = contextOf(table);
      const expires = recordExpiresAt(job.createdAt, context.retentionDays);
      return (
        <div className="whitespace-nowrap">
          <time dateTime={job.createdAt}>{formatDateTime(job.createdAt, context.isHydrated)}</time>
          <p className={MUTED} title="Jobdeck forgets the job then; the project in Descript is unaffected.">
            kept until <time dateTime={expires.toISOString()}>{formatDate(expires, context.isHydrated)}</time>
          </p>
        </div>
      );
    },
  }),
  column.display({
    id: "duration",
    header: "Duration",
    cell: ({ row: { original: job } }) => (
      <span className="whitespace-nowrap tabular-nums">
        {isTerminal(job.state) ? formatDuration(Date.parse(job.upstreamStoppedAt ?? job.updatedAt) - startOf(job)) : <RunningTime since={startOf(job)} />}
      </span>
    ),
  }),
  column.display({
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row: { original: job }, table }) =>
      isCancellable(job) && contextOf(table).mayCancel(job) ? (
        <Button size="sm" variant="secondary" onClick={() => contextOf(table).onCancel(job)} aria-label={`Cancel job ${jobLabel(job)}`}>
          Cancel
        </Button>
      ) : null,
  }),
];

/**
 * Upstream ids are long and alike ("project-media-import-<uuid>", the type column says which kind):
 * the row shows the uuid's first part, enough to tell jobs apart; the full id is the link's title
 * and accessible name, and free text search finds a job by it.
 */
function shortJobId(job: JobSummary): string {
  const id = jobLabel(job);
  const uuid = id.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)?.[0];
  return uuid ? uuid.slice(0, 8) : id;
}

function progressWord(job: JobSummary): string {
  if (job.state === "queued" || job.state === "submitting") return "waiting";
  if (job.state === "running") return "working";
  if (job.state === "cancel_requested") return "stopping";
  return "—";
}

function startOf(job: JobSummary): number {
  return Date.parse(job.upstreamCreatedAt ?? job.createdAt);
}

/**
 * A running job's time so far, the only part of a row that reads the clock: a tick renders these
 * and not the rows. Only in the browser: the server's HTML would be stale the moment it is sent.
 */
function RunningTime({ since }: { since: number }) {
  const now = useClock();
  return now === null ? "running" : `${formatDuration(now - since)} so far`;
}
