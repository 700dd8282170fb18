"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJobs } from "./api";
import { JobStateBadge } from "./job-state-badge";
import { jobKeys } from "./query-keys";

const QUERY = { sort: "created_desc", limit: 50 } as const;

export function JobsTable() {
  const jobs = useQuery({ queryKey: jobKeys.list(QUERY), queryFn: () => fetchJobs(QUERY), refetchInterval: 5_000 });

  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800" aria-label="Jobs">
        <thead className="bg-zinc-50 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2">Job</th>
            <th scope="col" className="px-4 py-2">Type</th>
            <th scope="col" className="px-4 py-2">State</th>
            <th scope="col" className="px-4 py-2">Project</th>
            <th scope="col" className="px-4 py-2">Files</th>
            <th scope="col" className="px-4 py-2">Progress</th>
            <th scope="col" className="px-4 py-2">Submitted</th>
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
                  {job.fileCounts.total === 0 ? "—" : `${job.fileCounts.succeeded}/${job.fileCounts.total}${job.fileCounts.failed ? ` (${job.fileCounts.failed} failed)` : ""}`}
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
  );
}

function MessageRow({ children }: { children: React.ReactNode }) {
  return (
    <tr>
      <td colSpan={7} className="px-4 py-8 text-center text-zinc-500 dark:text-zinc-400">
        {children}
      </td>
    </tr>
  );
}
