"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { reimportFailedFiles } from "./api";

/** Submits the failed files again into the same project, then opens the new job. */
export function ReimportButton({ jobId, fileCount }: { jobId: string; fileCount: number }) {
  const router = useRouter();
  const reimport = useMutation({
    mutationFn: () => reimportFailedFiles(jobId),
    onSuccess: (answer) => router.push(`/jobs/${answer.jobId}`),
  });
  return (
    <div className="flex flex-col items-start gap-1">
      <Button variant="primary" onClick={() => reimport.mutate()} disabled={reimport.isPending || reimport.isSuccess}>
        {reimport.isPending ? "Submitting…" : `Re-import ${fileCount === 1 ? "the failed file" : `${fileCount} failed files`}`}
      </Button>
      {reimport.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Could not re-import: {reimport.error.message}
        </p>
      ) : null}
    </div>
  );
}
