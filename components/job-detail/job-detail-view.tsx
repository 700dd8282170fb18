"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { JobStateBadge } from "@/components/jobs/job-state-badge";
import type { JobDetail, JobEventPage } from "@/lib/jobs/api-types";
import { canRequestCancel } from "@/lib/jobs/state-machine";
import { fetchJobDetail } from "./api";
import { CancelJobButton } from "./cancel-job-button";
import { useViewer } from "@/components/auth/viewer";
import { FileGrid } from "./file-grid";
import { ACTIVE_STATES, formatDuration, formatTime, secondsBetween } from "./format";
import { JobResult, readResult } from "./job-result";
import { JobTimeline } from "./job-timeline";
import { Item, Notice, Section } from "./parts";
import { jobDetailKeys } from "./query-keys";
import { ReimportButton } from "./reimport-button";
import { useJobLive } from "./use-job-live";

const TYPE_LABELS: Record<string, string> = { "import/project_media": "Import", agent: "Agent edit", publish: "Publish" };
/** While the stream is down, an active job is polled this often instead. */
const FALLBACK_POLL_MS = 3_000;

/** The drill-down of one job, first painted from the server's copy and kept live from the change stream. */
export function JobDetailView({ initial, initialEvents }: { initial: JobDetail; initialEvents: JobEventPage }) {
  const jobId = initial.id;
  const { can, canCancel } = useViewer();
  const isLive = useJobLive(jobId);
  const query = useQuery({
    queryKey: jobDetailKeys.detail(jobId),
    queryFn: () => fetchJobDetail(jobId),
    initialData: initial,
    refetchInterval: (current) => (!isLive && current.state.data && ACTIVE_STATES.has(current.state.data.state) ? FALLBACK_POLL_MS : false),
  });
  const job = query.data;
  const isActive = ACTIVE_STATES.has(job.state);
  const result = readResult(job.result);
  const failedFiles = job.files.filter((file) => file.status === "failed");
  const reimportable = failedFiles.filter((file) => file.sourceUrl !== null);
  const canReimport = can("jobs:submit") && job.type === "import/project_media" && job.state === "stopped" && job.projectId !== null && reimportable.length > 0;

  return (
    <article className="space-y-6" data-job-id={job.id}>
      <header className="space-y-3">
        <p className="text-sm">
          <Link href="/jobs" className="text-indigo-700 hover:underline dark:text-indigo-300">
            ← All jobs
          </Link>
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">
            {TYPE_LABELS[job.type] ?? job.type}
            {job.projectName ? ` · ${job.projectName}` : ""}
          </h1>
          <span data-testid="job-state">
            <JobStateBadge state={job.state} outcome={job.outcome} />
          </span>
          {result.projectChanged === false ? (
            <span className="rounded-full border border-zinc-400 px-2 py-0.5 text-xs font-medium text-zinc-800 dark:border-zinc-500 dark:text-zinc-200">
              nothing changed
            </span>
          ) : null}
          <LiveIndicator isLive={isLive} isActive={isActive} isFetching={query.isFetching} />
          <div className="ml-auto flex flex-wrap items-start gap-2">
            {job.projectUrl ? (
              <a
                href={job.projectUrl}
                target="_blank"
                rel="noreferrer"
                className="inline-flex items-center rounded-md border border-zinc-300 px-3.5 py-2 text-sm font-medium hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:border-zinc-700 dark:hover:bg-zinc-800"
              >
                Open project in Descript<span className="sr-only"> (opens in a new tab)</span>
              </a>
            ) : null}
            {canReimport ? <ReimportButton jobId={job.id} fileCount={reimportable.length} /> : null}
            {canRequestCancel(job.state) && job.upstreamJobId && canCancel(job) ? <CancelJobButton job={job} /> : null}
          </div>
        </div>
        {query.isError ? (
          <Notice tone="error">Could not refresh this job ({query.error.message}); what is shown may be out of date.</Notice>
        ) : null}
        {isActive ? (
          <Notice tone="warning">
            Don’t open this project in Descript while the job runs: edits made during processing conflict with the job’s own.
          </Notice>
        ) : null}
        {job.type === "agent" && job.state === "stopped" && job.outcome === "success" && result.projectChanged !== false ? (
          <Notice tone="info">The edit is done. Visual changes can take a minute to appear in Descript.</Notice>
        ) : null}
        {job.reimportOfId ? (
          <Notice tone="info">
            Re-imports the failed files of{" "}
            <Link href={`/jobs/${job.reimportOfId}`} className="font-medium underline">
              job {job.reimportOfId}
            </Link>
            .
          </Notice>
        ) : null}
        {job.reimportIds.length > 0 ? (
          <Notice tone="info">
            Failed files re-imported by{" "}
            {job.reimportIds.map((id, index) => (
              <span key={id}>
                {index > 0 ? ", " : ""}
                <Link href={`/jobs/${id}`} className="font-medium underline">
                  job {id}
                </Link>
              </span>
            ))}
            .
          </Notice>
        ) : null}
      </header>

      <Section title="Summary">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <Item label="Jobdeck id" mono>{job.id}</Item>
          <Item label="Descript job_id" mono>{job.upstreamJobId ?? "not known yet"}</Item>
          <Item label="Project">
            {job.projectName ?? "—"}
            {job.projectId ? <span className="block font-mono text-xs text-zinc-600 dark:text-zinc-400">{job.projectId}</span> : null}
          </Item>
          <Item label="Submitted by">{job.submittedBy}</Item>
          <Item label="Created">{formatTime(job.createdAt)}</Item>
          <Item label="Stopped upstream">{formatTime(job.upstreamStoppedAt)}</Item>
          <Item label="Duration">
            {job.upstreamStoppedAt ? formatDuration(secondsBetween(job.upstreamCreatedAt ?? job.createdAt, job.upstreamStoppedAt)) : isActive ? "still running" : "—"}
          </Item>
          {job.progress ? (
            <Item label="Progress">
              {job.progress.label ?? "working"}
              {job.progress.percent !== null ? ` · ${Math.round(job.progress.percent)} %` : ""}
            </Item>
          ) : null}
          {job.files.length > 0 ? (
            <Item label="Files">
              {job.fileCounts.succeeded} of {job.fileCounts.total} imported
              {job.fileCounts.failed ? `, ${job.fileCounts.failed} failed` : ""}
              {job.fileCounts.pending ? `, ${job.fileCounts.pending} pending` : ""}
            </Item>
          ) : null}
          {job.errorMessage ? (
            <Item label="Error">
              <span className="text-red-800 dark:text-red-300">{job.errorMessage}</span>
              {job.errorCode ? <span className="block font-mono text-xs">{job.errorCode}</span> : null}
            </Item>
          ) : null}
          {job.cancelRequestedAt ? (
            <Item label="Cancel requested">
              {formatTime(job.cancelRequestedAt)}
              {job.cancelReason ? ` · “${job.cancelReason}”` : ""}
            </Item>
          ) : null}
          <Item label="Record expires here">
            {formatTime(job.expiresAt)}
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">The project in Descript is unaffected.</span>
          </Item>
        </dl>
      </Section>

      {job.files.length > 0 ? (
        <Section title="Files">
          <FileGrid files={job.files} />
        </Section>
      ) : null}

      <Section title="Result">
        <JobResult job={job} result={result} />
      </Section>

      <Section title="Usage">
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
          <Item label="Media">{job.mediaSecondsUsed === null ? "—" : `${formatDuration(job.mediaSecondsUsed)} (${job.mediaSecondsUsed} s)`}</Item>
          <Item label="AI credits">{job.aiCreditsUsed === null ? "—" : String(job.aiCreditsUsed)}</Item>
        </dl>
      </Section>

      <Section title="Timeline">
        <JobTimeline jobId={job.id} initialPage={initialEvents} />
      </Section>
    </article>
  );
}

function LiveIndicator({ isLive, isActive, isFetching }: { isLive: boolean; isActive: boolean; isFetching: boolean }) {
  const label = isLive ? "Live" : isActive ? "Reconnecting — checking every few seconds" : "Not live";
  return (
    <span className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${isLive ? "bg-emerald-500" : "bg-zinc-400"} ${isFetching ? "animate-pulse" : ""}`} />
      {label}
    </span>
  );
}
