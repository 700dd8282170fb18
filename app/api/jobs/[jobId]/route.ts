// GET /api/jobs/{id} — the console: one job with its files and the first page of its timeline (the
// rest from /api/jobs/{id}/events), by Jobdeck's id or Descript's job_id.
import { z } from "zod";
import { jobKeySchema } from "@/lib/jobs/api-types";
import { getJobDetail } from "@/lib/jobs/queries";
import { json, parseParams, route } from "@/lib/server/route";
import { expediteJobPolls } from "@/lib/worker/expedite";

export const dynamic = "force-dynamic";

export const GET = route<{ jobId: string }>({ format: "problem", access: "jobs:read" }, async ({ params }) => {
  const { jobId } = parseParams(params, z.object({ jobId: jobKeySchema }));
  const detail = await getJobDetail(jobId);
  void expediteJobPolls([detail.id]); // someone is viewing this job: look at it upstream soon
  return json(detail);
});
