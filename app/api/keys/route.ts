// GET, POST /api/keys — admins: API keys for programs. A new key is in the POST's answer, once.
import { actorLabel } from "@/lib/auth/actor";
import { newKeyBodySchema } from "@/lib/auth/api-types";
import { createApiKey, listApiKeys } from "@/lib/auth/keys";
import { logEvent } from "@/lib/server/log";
import { json, parseJsonText, readBodyText, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "keys:manage" }, async () => json({ keys: await listApiKeys() }));

export const POST = route({ format: "problem", access: "keys:manage" }, async ({ request, requestId, actor }) => {
  const { name, role } = newKeyBodySchema.parse(parseJsonText(await readBodyText(request, 16 * 1024)));
  const { key, summary } = await createApiKey({ name, role, createdBy: actorLabel(actor) });
  logEvent("info", "api_key_created", { requestId, by: actorLabel(actor), keyId: summary.id, name, role });
  return json({ ...summary, key }, { status: 201 });
});
