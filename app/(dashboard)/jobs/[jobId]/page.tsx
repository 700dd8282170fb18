import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { notFound } from "next/navigation";
import { JobDetailView } from "@/components/job-detail/job-detail-view";
import { jobKeySchema } from "@/lib/jobs/api-types";
import { getJobDetail, listJobEventsPage } from "@/lib/jobs/queries";
import { AppError } from "@/lib/server/errors";

export const metadata: Metadata = { title: "Job" };

type Params = Promise<{ jobId: string }>;

/** One job, by Jobdeck's id or Descript's job_id, painted on the server and then kept live. */
export default async function JobPage({ params }: { params: Params }) {
  if (!can((await requirePageActor()).role, "jobs:read")) return <Forbidden what="see jobs" />;
  const key = jobKeySchema.safeParse((await params).jobId);
  if (!key.success) notFound();
  const job = await getJobDetail(key.data).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const events = await listJobEventsPage(job.id, { limit: 50 });
  return <JobDetailView initial={job} initialEvents={events} />;
}
