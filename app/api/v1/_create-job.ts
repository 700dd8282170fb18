// The three job-creating routes of the Descript-compatible proxy differ only in their job type.
import { asSubmitter } from "@/lib/auth/actor";
import { parseDescriptInput } from "@/lib/descript/joi-message";
import { CREATE_ENDPOINTS, type CreatableJobType, type CreateJobRequest } from "@/lib/descript/schemas";
import { submitJob } from "@/lib/jobs/service";
import { AppError } from "@/lib/server/errors";
import { json, parseJsonText, readBodyText, route } from "@/lib/server/route";

/**
 * Descript's JSON parser reads only JSON: a body sent as anything else reads as `{}` there (and then
 * fails on its required fields), so it does here too.
 */
async function readDescriptBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  const contentType = request.headers.get("content-type") ?? "";
  const isJson = /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());
  return isJson && text.trim() !== "" ? parseJsonText(text) : {};
}

export function createJobRoute(type: CreatableJobType) {
  return route({ format: "descript", access: "jobs:submit" }, async ({ request, actor }) => {
    const parsed = parseDescriptInput<CreateJobRequest>(CREATE_ENDPOINTS[type].schema, await readDescriptBody(request));
    if (!parsed.success) throw new AppError("invalid_input", parsed.message);
    const { answer } = await submitJob({ type, body: parsed.data, submittedBy: asSubmitter(actor) });
    return json(answer, { status: 201 });
  });
}
