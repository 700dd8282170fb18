// POST /api/jobs/{id}/reimport — editors and up: import a finished import's failed files again, as a new linked job.
import { z } from "zod";
import { asSubmitter } from "@/lib/auth/actor";
import { jobKeySchema } from "@/lib/jobs/api-types";
import { getJobByKey } from "@/lib/jobs/queries";
import { reimportFailedFiles } from "@/lib/jobs/service";
import type { SubmissionAnswer } from "@/lib/jobs/submission";
import { json, parseParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route<{ jobId: string }>({ format: "problem", access: "jobs:submit" }, async ({ params, actor }) => {
  const { jobId } = parseParams(params, z.object({ jobId: jobKeySchema }));
  const job = await getJobByKey(jobId);
  const { jobId: newJobId, answer } = await reimportFailedFiles({ jobId: job.id, submittedBy: asSubmitter(actor) });
  const body: SubmissionAnswer = { jobId: newJobId, upstreamJobId: answer.job_id };
  return json(body, { status: 201 });
});
