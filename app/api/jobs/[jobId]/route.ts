// GET /api/jobs/{id} — the console: one job with its files and timeline.
import { z } from "zod";
import { getJobDetail } from "@/lib/jobs/queries";
import { json, parseParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route<{ jobId: string }>("problem", async ({ params }) => {
  const { jobId } = parseParams(params, z.object({ jobId: z.uuid() }));
  return json(await getJobDetail(jobId));
});
