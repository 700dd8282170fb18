import { jobKeys } from "@/components/jobs/query-keys";

/** Keys of the drill-down, under the jobs' root key so that a resync of all jobs refreshes them too. */
export const jobDetailKeys = {
  all: () => [...jobKeys.all, "detail"] as const,
  detail: (jobId: string) => [...jobDetailKeys.all(), jobId] as const,
  events: (jobId: string) => [...jobDetailKeys.detail(jobId), "events"] as const,
};
