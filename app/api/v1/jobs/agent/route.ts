// POST /api/v1/jobs/agent — Descript API clients (Descript-compatible proxy).
import { createJobRoute } from "@/app/api/v1/_create-job";

export const dynamic = "force-dynamic";

export const POST = createJobRoute("agent");
