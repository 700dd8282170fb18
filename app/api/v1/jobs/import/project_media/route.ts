// POST /api/v1/jobs/import/project_media — Descript API clients (Descript-compatible proxy).
import { createJobRoute } from "@/app/api/v1/_create-job";

export const dynamic = "force-dynamic";

export const POST = createJobRoute("import/project_media");
