// DELETE /api/keys/{id} — admins: revoke a key; its next request is refused.
import { z } from "zod";
import { actorLabel } from "@/lib/auth/actor";
import { revokeApiKey } from "@/lib/auth/keys";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { json, parseParams, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const DELETE = route<{ keyId: string }>({ format: "problem", access: "keys:manage" }, async ({ params, requestId, actor }) => {
  const { keyId } = parseParams(params, z.object({ keyId: z.uuid() }));
  const key = await revokeApiKey(keyId);
  if (!key) throw new AppError("not_found", "No such key.");
  logEvent("info", "api_key_revoked", { requestId, by: actorLabel(actor), keyId });
  return json(key);
});
