// GET /api/jobs/{id}/events?cursor=&limit= — the console: a job's timeline, oldest first, in keyset pages.
import { z } from "zod";
import { jobEventsQuerySchema, jobKeySchema } from "@/lib/jobs/api-types";
import { listJobEventsPage } from "@/lib/jobs/queries";
import { json, parseParams, parseSearchParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route<{ jobId: string }>({ format: "problem", access: "jobs:read" }, async ({ request, params }) => {
  const { jobId } = parseParams(params, z.object({ jobId: jobKeySchema }));
  return json(await listJobEventsPage(jobId, parseSearchParams(request, jobEventsQuerySchema)));
});
