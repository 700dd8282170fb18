"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { fetchJobs } from "./api";
import { JobStateBadge } from "./job-state-badge";
import { jobKeys } from "./query-keys";
import { useJobChanges } from "./use-job-changes";

const QUERY = { sort: "created_desc", limit: 50 } as const;
const COLUMNS = ["Job", "Type", "State", "Project", "Files", "Progress", "Submitted"];

export function JobsTable() {
  const isLive = useJobChanges();
  const jobs = useQuery({ queryKey: jobKeys.list(QUERY), queryFn: () => fetchJobs(QUERY) });

  return (
    <div className="space-y-2">
      <p className="flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
        <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${isLive ? "bg-emerald-500" : "bg-zinc-400"}`} />
        {isLive ? "Live" : "Connecting…"}
      </p>
      <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800" aria-label="Jobs">
          <thead className="bg-zinc-50 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              {COLUMNS.map((column) => (
                <th key={column} scope="col" className="px-4 py-2">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/60">
            {jobs.isPending ? (
              <MessageRow>Loading jobs…</MessageRow>
            ) : jobs.isError ? (
              <MessageRow>Could not load jobs: {jobs.error.message}</MessageRow>
            ) : jobs.data.data.length === 0 ? (
              <MessageRow>No jobs yet. Jobs submitted through Jobdeck appear here.</MessageRow>
            ) : (
              jobs.data.data.map((job) => (
                <tr key={job.id} data-job-id={job.id}>
                  <td className="px-4 py-2 font-mono text-xs">{job.upstreamJobId ?? job.id}</td>
                  <td className="px-4 py-2">{job.type}</td>
                  <td className="px-4 py-2">
                    <JobStateBadge state={job.state} outcome={job.outcome} />
                  </td>
                  <td className="px-4 py-2">{job.projectName ?? job.projectId ?? "—"}</td>
                  <td className="px-4 py-2 tabular-nums">
                    {job.fileCounts.total === 0
                      ? "—"
                      : `${job.fileCounts.succeeded}/${job.fileCounts.total}${job.fileCounts.failed ? ` (${job.fileCounts.failed} failed)` : ""}`}
                  </td>
                  <td className="px-4 py-2">{job.progress ? `${job.progress.label ?? ""} ${job.progress.percent ?? ""}%` : "—"}</td>
                  <td className="px-4 py-2 tabular-nums">
                    <time dateTime={job.createdAt}>{new Date(job.createdAt).toLocaleString()}</time>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function MessageRow({ children }: { children: ReactNode }) {
  return (
    <tr>
      <td colSpan={COLUMNS.length} className="px-4 py-8 text-center text-zinc-500 dark:text-zinc-400">
        {children}
      </td>
    </tr>
  );
}
