// The three job-creating routes of the Descript-compatible proxy differ only in their job type.
import { parseDescriptInput } from "@/lib/descript/joi-message";
import { CREATE_ENDPOINTS, type CreatableJobType, type CreateJobRequest } from "@/lib/descript/schemas";
import { submitJob } from "@/lib/jobs/service";
import { AppError } from "@/lib/server/errors";
import { json, parseJsonText, readBodyText, route } from "@/lib/server/route";

export function createJobRoute(type: CreatableJobType) {
  return route("descript", async ({ request }) => {
    const parsed = parseDescriptInput<CreateJobRequest>(CREATE_ENDPOINTS[type].schema, parseJsonText(await readBodyText(request)));
    if (!parsed.success) throw new AppError("invalid_input", parsed.message);
    // Postgres stores no NUL character in text: refuse it here rather than fail after upstream answered.
    if (JSON.stringify(parsed.data).includes("\\u0000")) throw new AppError("invalid_input", '"value" must not contain null characters');
    const { answer } = await submitJob({ type, body: parsed.data, submittedBy: "api" });
    return json(answer, { status: 201 });
  });
}
