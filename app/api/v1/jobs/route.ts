// GET /api/v1/jobs — Descript API clients: jobs submitted through Jobdeck, from its store.
import { joiStyleMessage } from "@/lib/descript/joi-message";
import { jobListQuerySchema } from "@/lib/descript/schemas";
import { listUpstreamJobsPage } from "@/lib/jobs/queries";
import { AppError } from "@/lib/server/errors";
import { json, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route("descript", async ({ request }) => {
  const parsed = jobListQuerySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) throw new AppError("invalid_input", joiStyleMessage(parsed.error));
  return json(await listUpstreamJobsPage(parsed.data));
});
