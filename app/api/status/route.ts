// GET /api/status — ops: upstream mode, the shared upstream budget, the sweep, webhook silence.
import { json, route } from "@/lib/server/route";
import { getStatus } from "@/lib/worker/status";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "ops:status" }, async () => json(await getStatus()));
