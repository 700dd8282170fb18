"use client";

import { useState } from "react";
import { CancelJobsDialog } from "@/components/jobs/cancel-jobs-dialog";
import { Button } from "@/components/ui/button";
import type { JobSummary } from "@/lib/jobs/api-types";

/** Cancel with a confirmation that takes an optional reason (it lands in the timeline). */
export function CancelJobButton({ job }: { job: Pick<JobSummary, "id" | "upstreamJobId"> }) {
  const [isOpen, setOpen] = useState(false);
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Cancel job…
      </Button>
      <CancelJobsDialog jobs={isOpen ? [job] : []} askedFrom="job page" onOpenChange={setOpen} />
    </>
  );
}
