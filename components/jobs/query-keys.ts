import type { JobListQuery } from "@/lib/jobs/api-types";

/** The one factory for job query keys; mutations invalidate the narrowest key that covers them. */
export const jobKeys = {
  all: ["jobs"] as const,
  lists: () => [...jobKeys.all, "list"] as const,
  list: (query: JobListQuery) => [...jobKeys.lists(), query] as const,
};

export const statusKeys = {
  all: ["status"] as const,
};
