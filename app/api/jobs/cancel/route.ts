// POST /api/jobs/cancel — ops: cancel exactly the named jobs, each answered on its own.
import { asSubmitter } from "@/lib/auth/actor";
import { cancelJobsBodySchema, type CancelJobsAnswer } from "@/lib/jobs/api-types";
import { cancelJobs } from "@/lib/jobs/bulk-cancel";
import { json, parseJsonText, readBodyText, route, toAppError } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route({ format: "problem", access: "jobs:cancel-any" }, async ({ request, requestId, actor }) => {
  const { ids, reason } = cancelJobsBodySchema.parse(parseJsonText(await readBodyText(request)));
  const results = await cancelJobs({
    ids,
    reason,
    requestedBy: asSubmitter(actor),
    describeError: (error) => {
      const appError = toAppError(error, requestId, { method: request.method, path: request.nextUrl.pathname });
      return { code: appError.code, status: appError.status, detail: appError.message };
    },
  });
  const answer: CancelJobsAnswer = { results };
  return json(answer);
});
