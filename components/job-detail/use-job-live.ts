"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { subscribeToChangeStream } from "@/components/jobs/change-stream";
import { jobDetailKeys } from "./query-keys";

/**
 * Follows one job on the browser's shared change stream (components/jobs/change-stream.ts): a batch
 * naming this job (by Jobdeck's or Descript's id) refetches its detail and timeline, which hold more
 * than a row does; `ready` and `resync` refetch them too. Answers whether the stream is live, so the
 * page can poll while it is not.
 */
export function useJobLive(jobId: string): boolean {
  const queryClient = useQueryClient();
  const [isLive, setIsLive] = useState(false);
  useEffect(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: jobDetailKeys.detail(jobId) });
    return subscribeToChangeStream((message) => {
      switch (message.type) {
        case "status":
          setIsLive(message.status === "live");
          break;
        case "ready": // changes made while connecting were not heard
        case "resync":
          refresh();
          break;
        case "jobs":
          if (message.jobs.some((job) => job.id === jobId || job.upstreamJobId === jobId)) refresh();
          break;
      }
    });
  }, [jobId, queryClient]);
  return isLive;
}
