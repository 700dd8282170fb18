// PATCH /api/people/{id} — admins: change a person's role, disable or enable them.
import { z } from "zod";
import { actorLabel } from "@/lib/auth/actor";
import { personChangeBodySchema } from "@/lib/auth/api-types";
import { updatePerson } from "@/lib/auth/people";
import { logEvent } from "@/lib/server/log";
import { json, parseJsonText, parseParams, readBodyText, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const PATCH = route<{ personId: string }>({ format: "problem", access: "people:manage" }, async ({ request, params, requestId, actor }) => {
  const { personId } = parseParams(params, z.object({ personId: z.string().min(1).max(200) }));
  const change = personChangeBodySchema.parse(parseJsonText(await readBodyText(request, 16 * 1024)));
  const person = await updatePerson(personId, change, actor.kind === "user" ? actor.userId : null);
  logEvent("info", "person_changed", { requestId, by: actorLabel(actor), email: person.email, ...change });
  return json(person);
});
