// POST /api/jobs/{id}/cancel — editors (their own jobs) and ops (any): cancel a queued or running job, with an optional reason.
import { z } from "zod";
import { cancelJobBodySchema } from "@/lib/jobs/api-types";
import { getJobDetail } from "@/lib/jobs/queries";
import { cancelJob } from "@/lib/jobs/service";
import { asSubmitter } from "@/lib/auth/actor";
import { json, parseJsonText, parseParams, readBodyText, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route<{ jobId: string }>({ format: "problem", access: "jobs:submit" }, async ({ request, params, actor }) => {
  const { jobId } = parseParams(params, z.object({ jobId: z.uuid() }));
  const text = await readBodyText(request);
  const { reason } = cancelJobBodySchema.parse(text.trim() === "" ? {} : parseJsonText(text));
  await cancelJob({ jobId, reason, requestedBy: asSubmitter(actor) });
  return json(await getJobDetail(jobId));
});
