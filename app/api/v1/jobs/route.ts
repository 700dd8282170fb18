// GET /api/v1/jobs — Descript API clients: jobs submitted through Jobdeck, from its store.
import { parseDescriptInput } from "@/lib/descript/joi-message";
import { listJobsQuerySchema } from "@/lib/descript/schemas";
import { listUpstreamJobsPage } from "@/lib/jobs/queries";
import { AppError } from "@/lib/server/errors";
import { json, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "descript", access: "jobs:read" }, async ({ request }) => {
  const parsed = parseDescriptInput(listJobsQuerySchema, Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) throw new AppError("invalid_input", parsed.message);
  return json(await listUpstreamJobsPage(parsed.data));
});
