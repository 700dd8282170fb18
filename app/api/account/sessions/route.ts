// GET /api/account/sessions — a signed-in person: their own sessions (never the tokens).
import { listOwnSessions } from "@/lib/auth/sessions";
import { AppError } from "@/lib/server/errors";
import { json, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "signed-in" }, async ({ actor }) => {
  if (actor.kind !== "user") throw new AppError("forbidden", "An API key has no sessions.");
  return json({ sessions: await listOwnSessions(actor.userId, actor.sessionId) });
});
