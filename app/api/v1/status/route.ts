// GET /api/v1/status — Descript API clients: upstream's own status, passed through.
import { getDescriptClient } from "@/lib/jobs/upstream";
import { json, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "descript", access: "jobs:read" }, async () => json(await getDescriptClient().getStatus()));
