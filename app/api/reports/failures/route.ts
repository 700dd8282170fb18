// GET /api/reports/failures?days= — the console: failed import files grouped by error message.
import { failuresQuerySchema } from "@/lib/reports/api-types";
import { getFailureReport } from "@/lib/reports/repository";
import { json, parseSearchParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "jobs:read" }, async ({ request }) => json(await getFailureReport(parseSearchParams(request, failuresQuerySchema))));
