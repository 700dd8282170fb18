// GET /api/jobs/{id} — the console: one job with its files and timeline, by Jobdeck's id or Descript's job_id.
import { z } from "zod";
import { jobKeySchema } from "@/lib/jobs/api-types";
import { getJobDetail } from "@/lib/jobs/queries";
import { json, parseParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route<{ jobId: string }>("problem", async ({ params }) => {
  const { jobId } = parseParams(params, z.object({ jobId: jobKeySchema }));
  return json(await getJobDetail(jobId));
});
