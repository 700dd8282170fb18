// GET, DELETE /api/v1/jobs/{job_id} — Descript API clients. GET answers from Jobdeck's store;
// DELETE cancels upstream.
import { z } from "zod";
import { asSubmitter } from "@/lib/auth/actor";
import { findUpstreamJob, getUpstreamJob } from "@/lib/jobs/queries";
import { cancelJob } from "@/lib/jobs/service";
import { json, parseParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ jobId: z.string().min(1).max(300) });

export const GET = route<{ jobId: string }>({ format: "descript", access: "jobs:read" }, async ({ params }) => {
  const { jobId } = parseParams(params, paramsSchema);
  return json(await getUpstreamJob(jobId));
});

// Editors may cancel the jobs they submitted, ops any (decided with the job, under its lock).
export const DELETE = route<{ jobId: string }>({ format: "descript", access: "jobs:submit" }, async ({ params, actor }) => {
  const { jobId } = parseParams(params, paramsSchema);
  const job = await findUpstreamJob(jobId);
  // Descript answers a DELETE of a job that has ended, or a repeated one, with 204 and changes
  // nothing; so does Jobdeck, without spending an upstream call (decided under the row lock).
  await cancelJob({ jobId: job.id, requestedBy: asSubmitter(actor), isEndedOk: true });
  return new Response(null, { status: 204 });
});
