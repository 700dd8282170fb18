"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { JobSummary } from "@/lib/jobs/api-types";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose } from "@/components/ui/dialog";
import { cancelJob, cancelJobs } from "./api";
import { patchJobRows, refreshJobRows } from "./job-cache";

export interface CancelJobsDialogProps {
  /** Exactly the jobs to cancel: one row's, or the selected rows'. */
  jobs: JobSummary[];
  onOpenChange: (open: boolean) => void;
  /** Called with what happened, for the page to announce. */
  onDone: (report: string) => void;
  /** Where focus goes after the dialog when the control that opened it has gone. */
  fallbackFocus?: () => HTMLElement | null;
}

export function jobLabel(job: Pick<JobSummary, "id" | "upstreamJobId">): string {
  return job.upstreamJobId ?? job.id;
}

/** Confirms a cancel (with an optional reason that goes into each job's timeline) and sends it. */
export function CancelJobsDialog({ jobs, onOpenChange, onDone, fallbackFocus }: CancelJobsDialogProps) {
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const single = jobs.length === 1 ? jobs[0] : undefined;
  const cancel = useMutation({
    mutationFn: async (): Promise<string> => {
      const ids = jobs.map((job) => job.id);
      if (single) {
        await cancelJob(single.id, reason.trim());
        await refreshJobRows(queryClient, ids);
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
      onDone(report);
    },
  });

  const title = single ? `Cancel job ${jobLabel(single)}?` : `Cancel ${jobs.length} jobs?`;
  return (
    <Dialog
      open={jobs.length > 0}
      onOpenChange={(open) => {
        if (!open) cancel.reset();
        onOpenChange(open);
      }}
      title={title}
      fallbackFocus={fallbackFocus}
      description="Descript stops the work; what it already imported or changed stays in the project. The row shows “cancel requested” until Descript confirms."
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
            Reason <span className="font-normal text-zinc-600 dark:text-zinc-300">(optional, kept in the job’s timeline)</span>
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

function labelOf(jobs: JobSummary[], id: string): string {
  const job = jobs.find((candidate) => candidate.id === id);
  return job ? jobLabel(job) : id;
}
