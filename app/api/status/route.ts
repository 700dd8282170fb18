// GET /api/status — the console: upstream mode, the shared upstream budget, the sweep, webhook silence.
import { json, route } from "@/lib/server/route";
import { getStatus } from "@/lib/worker/status";

export const dynamic = "force-dynamic";

export const GET = route("problem", async () => json(await getStatus()));
