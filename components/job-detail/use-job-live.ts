"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { jobDetailKeys } from "./query-keys";

/**
 * Follows one job on the server's change stream (/api/jobs/changes): a change to this job refetches
 * its detail and timeline; a resync (the server's listener reconnected) refetches them too.
 * Answers whether the stream is connected, so the page can poll while it is not.
 */
export function useJobLive(jobId: string): boolean {
  const queryClient = useQueryClient();
  const [isLive, setIsLive] = useState(false);
  useEffect(() => {
    const source = new EventSource("/api/jobs/changes");
    const refresh = () => void queryClient.invalidateQueries({ queryKey: jobDetailKeys.detail(jobId) });
    source.addEventListener("job", (event) => {
      try {
        const change = JSON.parse((event as MessageEvent<string>).data) as { id?: string };
        if (change.id === jobId) refresh();
      } catch {
        refresh();
      }
    });
    source.addEventListener("resync", refresh);
    source.addEventListener("ready", () => {
      setIsLive(true);
      refresh(); // changes made while connecting were not heard
    });
    source.addEventListener("error", () => setIsLive(false));
    return () => source.close();
  }, [jobId, queryClient]);
  return isLive;
}
