// POST /api/jobs/{id}/cancel — the console (ops): cancel a queued or running job, with an optional reason.
import { z } from "zod";
import { cancelJobBodySchema } from "@/lib/jobs/api-types";
import { getJobDetail } from "@/lib/jobs/queries";
import { cancelJob } from "@/lib/jobs/service";
import { json, parseJsonText, parseParams, readBodyText, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route<{ jobId: string }>("problem", async ({ request, params }) => {
  const { jobId } = parseParams(params, z.object({ jobId: z.uuid() }));
  const text = await readBodyText(request);
  const { reason } = cancelJobBodySchema.parse(text.trim() === "" ? {} : parseJsonText(text));
  await cancelJob({ jobId, reason, requestedBy: "console" });
  return json(await getJobDetail(jobId));
});
