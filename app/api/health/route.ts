// GET /api/health — anyone (load balancers, the launcher): is this instance able to serve?
import { getDb } from "@/lib/server/db";
import { getEnv } from "@/lib/server/env";
import { json, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "public" }, async () => {
  const upstream = getEnv().descriptMode;
  try {
    await getDb().$queryRaw`SELECT 1`;
    return json({ status: "ok", db: "ok", upstream });
  } catch (error) {
    // Name the failing part, not the connection string.
    const detail = error instanceof Error ? error.message.split("\n")[0] : "unknown error";
    return json({ status: "error", db: "error", upstream, detail }, { status: 503 });
  }
});
