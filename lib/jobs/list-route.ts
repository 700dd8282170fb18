import "server-only";
// GET /api/jobs — the console: jobs with filters, free text, sort and keyset pages. Served by the
// front listener (lib/server/front-listener.ts) and by app/api/jobs/route.ts when Next runs alone.
import { json, parseSearchParams, route } from "@/lib/server/route";
import { jobListQuerySchema } from "./api-types";
import { listJobsPage } from "./queries";

export const listJobsRoute = route({ format: "problem", access: "jobs:read" }, async ({ request }) =>
  json(await listJobsPage(parseSearchParams(request, jobListQuerySchema))),
);
