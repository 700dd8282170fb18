"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { JobDetail, JobSummary } from "@/lib/jobs/api-types";
import { jobDetailKeys } from "@/components/job-detail/query-keys";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose } from "@/components/ui/dialog";
import { cancelJob, cancelJobs } from "./api";
import { invalidateJobQueriesNaming, listedJobIds, patchJobRows, refreshJobRows } from "./job-cache";

type CancellableJob = Pick<JobSummary, "id" | "upstreamJobId">;

/** Where the cancel is asked from: the table names the jobs, a job's own page speaks of "this job". */
export type CancelAskedFrom = "table" | "job page";

export interface CancelJobsDialogProps {
  /** Exactly the jobs to cancel (one row's, the selected rows', or the page's one job); none while closed. */
  jobs: CancellableJob[];
  askedFrom: CancelAskedFrom;
  onOpenChange: (open: boolean) => void;
  /** Called with what happened, for the page to announce. */
  onDone?: (report: string) => void;
  /** Where focus goes after the dialog when the control that opened it has gone. */
  fallbackFocus?: () => HTMLElement | null;
}

export function jobLabel(job: CancellableJob): string {
  return job.upstreamJobId ?? job.id;
}

function wordingOf(jobs: CancellableJob[], askedFrom: CancelAskedFrom) {
  const single = jobs.length === 1 ? jobs[0] : undefined;
  if (askedFrom === "job page") {
    return {
      title: "Cancel this job?",
      description:
        "Jobdeck asks Descript to stop it. The job shows “cancel requested” until Descript confirms; if it finishes first, it keeps its real outcome.",
      reasonHint: "(optional, shown in the timeline)",
    };
  }
  return {
    title: single ? `Cancel job ${jobLabel(single)}?` : `Cancel ${jobs.length} jobs?`,
    description:
      "Descript stops the work; what it already imported or changed stays in the project. The row shows “cancel requested” until Descript confirms.",
    reasonHint: "(optional, kept in the job’s timeline)",
  };
}

/** Confirms a cancel (with an optional reason that goes into each job's timeline) and sends it. */
export function CancelJobsDialog({ jobs, askedFrom, onOpenChange, onDone, fallbackFocus }: CancelJobsDialogProps) {
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const single = jobs.length === 1 ? jobs[0] : undefined;
  const cancel = useMutation({
    mutationFn: async (): Promise<string> => {
      const ids = jobs.map((job) => job.id);
      if (single) {
        const cancelled = await cancelJob(single.id, reason.trim());
        // A job's page shows the answer as it is; a list row is a summary, so listed rows are read again.
        queryClient.setQueryData<JobDetail>(jobDetailKeys.detail(single.id), (shown) => shown && cancelled);
        const listed = listedJobIds(queryClient);
        await refreshJobRows(queryClient, ids.filter((id) => listed.has(id)));
        return `Cancel requested for job ${jobLabel(single)}.`;
      }
      const { results } = await cancelJobs(ids, reason.trim());
      patchJobRows(queryClient, results.flatMap((result) => (result.ok ? [result.job] : [])));
      const failed = results.filter((result) => !result.ok);
      const requested = results.length - failed.length;
      const failures = failed.map((result) => `${labelOf(jobs, result.id)}: ${result.ok ? "" : result.error.detail}`);
      return [`Cancel requested for ${requested} of ${results.length} jobs.`, ...failures].join(" ");
    },
    onSuccess: (report) => {
      setReason("");
      onOpenChange(false);
      onDone?.(report);
    },
    // Refused or not, a job's open page reads the job again: it may have ended meanwhile.
    onSettled: () => invalidateJobQueriesNaming(queryClient, jobs.map((job) => job.id)),
  });

  const wording = wordingOf(jobs, askedFrom);
  return (
    <Dialog
      open={jobs.length > 0}
      onOpenChange={(open) => {
        if (!open) cancel.reset();
        onOpenChange(open);
      }}
      title={wording.title}
      fallbackFocus={fallbackFocus}
      description={wording.description}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          cancel.mutate();
        }}
        className="space-y-4"
      >
        {!single && (
          <ul aria-label="Jobs to cancel" className="max-h-32 overflow-y-auto rounded border border-zinc-200 p-2 font-mono text-xs dark:border-zinc-700">
            {jobs.map((job) => (
              <li key={job.id}>{jobLabel(job)}</li>
            ))}
          </ul>
        )}
        <div className="space-y-1">
          <label htmlFor={reasonId} className="block text-sm font-medium">
            Reason <span className="font-normal text-zinc-600 dark:text-zinc-300">{wording.reasonHint}</span>
          </label>
          <textarea
            id={reasonId}
            value={reason}
            maxLength={500}
            rows={3}
            onChange={(event) => setReason(event.target.value)}
            className="w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-zinc-600 dark:bg-zinc-950"
          />
        </div>
        {cancel.isError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            Could not cancel: {cancel.error.message}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Keep running</Button>
          </DialogClose>
          <Button type="submit" variant="danger" disabled={cancel.isPending}>
            {cancel.isPending ? "Cancelling…" : single ? "Cancel job" : `Cancel ${jobs.length} jobs`}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function labelOf(jobs: CancellableJob[], id: string): string {
  const job = jobs.find((candidate) => candidate.id === id);
  return job ? jobLabel(job) : id;
}
