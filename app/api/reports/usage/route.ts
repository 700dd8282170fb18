// GET /api/reports/usage?days= — the console: jobs, failed files, media minutes and AI credits per day.
import { usageQuerySchema } from "@/lib/reports/api-types";
import { getUsageReport } from "@/lib/reports/repository";
import { json, parseSearchParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "jobs:read" }, async ({ request }) => json(await getUsageReport(parseSearchParams(request, usageQuerySchema))));
