// DELETE /api/account/sessions/{id} — a signed-in person: end one of their own sessions.
import { z } from "zod";
import { revokeOwnSession } from "@/lib/auth/sessions";
import { AppError } from "@/lib/server/errors";
import { parseParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const DELETE = route<{ sessionId: string }>({ format: "problem", access: "signed-in" }, async ({ params, actor }) => {
  const { sessionId } = parseParams(params, z.object({ sessionId: z.string().min(1).max(200) }));
  if (actor.kind !== "user") throw new AppError("forbidden", "An API key has no sessions.");
  if (!(await revokeOwnSession(actor.userId, sessionId))) throw new AppError("not_found", "No such session of yours.");
  return new Response(null, { status: 204 });
});
