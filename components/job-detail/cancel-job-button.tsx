"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cancelJob } from "./api";
import { jobDetailKeys } from "./query-keys";

/** Cancel with a confirmation that takes an optional reason (it lands in the timeline). */
export function CancelJobButton({ jobId }: { jobId: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const reasonId = useId();
  const titleId = useId();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelJob(jobId, reason),
    onSuccess: (detail) => {
      queryClient.setQueryData(jobDetailKeys.detail(jobId), detail);
      dialog.current?.close();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobDetailKeys.detail(jobId) }),
  });

  return (
    <>
      <Button variant="danger" onClick={() => dialog.current?.showModal()}>
        Cancel job…
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md rounded-lg border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <form
          method="dialog"
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            cancel.mutate();
          }}
        >
          <h2 id={titleId} className="text-base font-semibold">
            Cancel this job?
          </h2>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            Jobdeck asks Descript to stop it. The job shows “cancel requested” until Descript confirms; if it finishes first, it keeps
            its real outcome.
          </p>
          <div className="space-y-1">
            <label htmlFor={reasonId} className="block text-sm font-medium">
              Reason <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional, shown in the timeline)</span>
            </label>
            <textarea
              id={reasonId}
              name="reason"
              value={reason}
              maxLength={500}
              rows={3}
              onChange={(event) => setReason(event.target.value)}
              className="w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
            />
          </div>
          {cancel.isError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              Could not cancel: {cancel.error.message}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button onClick={() => dialog.current?.close()}>Keep running</Button>
            <Button type="submit" variant="danger" disabled={cancel.isPending}>
              {cancel.isPending ? "Cancelling…" : "Cancel job"}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
