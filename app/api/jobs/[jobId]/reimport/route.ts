// POST /api/jobs/{id}/reimport — the console: import a finished import's failed files again, as a new linked job.
import { z } from "zod";
import { jobKeySchema } from "@/lib/jobs/api-types";
import { getJobByKey } from "@/lib/jobs/queries";
import { reimportFailedFiles } from "@/lib/jobs/service";
import type { SubmissionAnswer } from "@/lib/jobs/submission";
import { json, parseParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route<{ jobId: string }>("problem", async ({ params }) => {
  const { jobId } = parseParams(params, z.object({ jobId: jobKeySchema }));
  const job = await getJobByKey(jobId);
  const { jobId: newJobId, answer } = await reimportFailedFiles({ jobId: job.id, submittedBy: "console" });
  const body: SubmissionAnswer = { jobId: newJobId, upstreamJobId: answer.job_id };
  return json(body, { status: 201 });
});
