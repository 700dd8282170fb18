// POST /api/jobs/submissions — the console's forms (editors and up): submit an import or an agent edit.
import { asSubmitter } from "@/lib/auth/actor";
import { describeIssues, submissionSchema, type SubmissionAnswer } from "@/lib/jobs/submission";
import { submitJob } from "@/lib/jobs/service";
import { AppError } from "@/lib/server/errors";
import { json, parseJsonText, readBodyText, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route({ format: "problem", access: "jobs:submit" }, async ({ request, actor }) => {
  const parsed = submissionSchema.safeParse(parseJsonText(await readBodyText(request)), { reportInput: true });
  if (!parsed.success) {
    // Named by the path inside the request body, as the form names its fields.
    const invalidParams = describeIssues(parsed.error.issues).map((issue) => ({ name: issue.path.map(String).join("."), reason: issue.message }));
    throw new AppError("invalid_input", invalidParams[0]?.reason ?? "invalid submission", { invalidParams });
  }
  const { jobId, answer } = await submitJob({ type: parsed.data.type, body: parsed.data.request, submittedBy: asSubmitter(actor) });
  const body: SubmissionAnswer = { jobId, upstreamJobId: answer.job_id };
  return json(body, { status: 201 });
});
