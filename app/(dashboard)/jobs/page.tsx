import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import type { SearchParams } from "nuqs/server";
import { JobsTable } from "@/components/jobs/jobs-table";
import { jobKeys } from "@/components/jobs/query-keys";
import { loadJobView, toListQuery } from "@/components/jobs/search-params";
import { jobListQuerySchema } from "@/lib/jobs/api-types";
import { listJobsPage } from "@/lib/jobs/queries";
import { getEnv } from "@/lib/server/env";

export const metadata: Metadata = { title: "Jobs" };

/**
 * The first page is read on the server and handed to TanStack Query, so the table is in the HTML
 * (also without JavaScript) and the browser starts from it instead of from "Loading jobs…".
 */
export default async function JobsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  if (!can((await requirePageActor()).role, "jobs:read")) return <Forbidden what="see jobs" />;
  const query = toListQuery(await loadJobView(searchParams));
  const queryClient = new QueryClient();
  // A view the API refuses (say, a cursor from another sort) is left to the browser, whose query
  // shows the error state; the server renders no half-answer.
  await queryClient.prefetchQuery({ queryKey: jobKeys.list(query), queryFn: () => listJobsPage(jobListQuerySchema.parse(query)) });
  return (
    <section className="space-y-4">
      <h1 className="text-xl font-semibold">Jobs</h1>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <JobsTable retentionDays={getEnv().jobRetentionDays} />
      </HydrationBoundary>
    </section>
  );
}
