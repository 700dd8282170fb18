// GET /api/jobs/{id} — the console: one job with its files and timeline.
import { z } from "zod";
import { getJobDetail } from "@/lib/jobs/queries";
import { json, parseParams, route } from "@/lib/server/route";
import { expediteJobPolls } from "@/lib/worker/expedite";

export const dynamic = "force-dynamic";

export const GET = route<{ jobId: string }>("problem", async ({ params }) => {
  const { jobId } = parseParams(params, z.object({ jobId: z.uuid() }));
  void expediteJobPolls([jobId]); // someone is viewing this job: look at it upstream soon
  return json(await getJobDetail(jobId));
});
