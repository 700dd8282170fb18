// POST /api/jobs/cancel — the console (ops): cancel exactly the named jobs, each answered on its own.
import { cancelJobsBodySchema, type CancelJobsAnswer } from "@/lib/jobs/api-types";
import { cancelJobs } from "@/lib/jobs/bulk-cancel";
import { json, parseJsonText, readBodyText, route, toAppError } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route("problem", async ({ request, requestId }) => {
  const { ids, reason } = cancelJobsBodySchema.parse(parseJsonText(await readBodyText(request)));
  const results = await cancelJobs({
    ids,
    reason,
    requestedBy: "console",
    describeError: (error) => {
      const appError = toAppError(error, requestId, { method: request.method, path: request.nextUrl.pathname });
      return { code: appError.code, status: appError.status, detail: appError.message };
    },
  });
  const answer: CancelJobsAnswer = { results };
  return json(answer);
});
