// GET /api/jobs — the console: jobs with filters, free text, sort and keyset pages.
import { jobListQuerySchema } from "@/lib/jobs/api-types";
import { listJobsPage } from "@/lib/jobs/queries";
import { json, parseSearchParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "jobs:read" }, async ({ request }) => json(await listJobsPage(parseSearchParams(request, jobListQuerySchema))));
