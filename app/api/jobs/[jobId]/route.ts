// GET /api/jobs/{id}[?eventsAfter=<event id>] — the console: one job with its files and one page of its timeline.
import { z } from "zod";
import { getJobDetail } from "@/lib/jobs/queries";
import { json, parseParams, parseSearchParams, route } from "@/lib/server/route";
import { expediteJobPolls } from "@/lib/worker/expedite";

export const dynamic = "force-dynamic";

const querySchema = z.object({ eventsAfter: z.string().regex(/^\d{1,19}$/, "must be an event id").transform(BigInt).optional() });

export const GET = route<{ jobId: string }>("problem", async ({ request, params }) => {
  const { jobId } = parseParams(params, z.object({ jobId: z.uuid() }));
  const { eventsAfter } = parseSearchParams(request, querySchema);
  void expediteJobPolls([jobId]); // someone is viewing this job: look at it upstream soon
  return json(await getJobDetail(jobId, { eventsAfter }));
});
