// GET /api/status — the console: sandbox or live upstream, and what background work reports.
import { getStatus } from "@/lib/status/status";
import { json, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route("problem", async () => json(getStatus()));
