"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { jobKeys } from "./query-keys";

/**
 * Keeps job queries fresh from the server's change stream (LISTEN/NOTIFY behind /api/jobs/changes):
 * a change refetches the lists; a reconnect, which may have missed changes, refetches everything.
 * EventSource reconnects by itself when the stream drops. Answers whether the stream is connected.
 */
export function useJobChanges(): boolean {
  const queryClient = useQueryClient();
  const [isLive, setIsLive] = useState(false);
  useEffect(() => {
    const source = new EventSource("/api/jobs/changes");
    let pending: ReturnType<typeof setTimeout> | null = null;
    // Many changes arrive in bursts (a job's create, answer and callback): refetch once per burst.
    const refetchLists = () => {
      pending ??= setTimeout(() => {
        pending = null;
        void queryClient.invalidateQueries({ queryKey: jobKeys.lists() });
      }, 250);
    };
    source.addEventListener("job", refetchLists);
    source.addEventListener("resync", () => void queryClient.invalidateQueries({ queryKey: jobKeys.all }));
    source.addEventListener("ready", () => {
      setIsLive(true);
      void queryClient.invalidateQueries({ queryKey: jobKeys.all });
    });
    source.addEventListener("error", () => setIsLive(false));
    return () => {
      if (pending) clearTimeout(pending);
      source.close();
    };
  }, [queryClient]);
  return isLive;
}
