// GET, POST /api/people — admins: everyone who can sign in; add a person with a role.
import { newPersonBodySchema } from "@/lib/auth/api-types";
import { createPerson, listPeople } from "@/lib/auth/people";
import { logEvent } from "@/lib/server/log";
import { json, parseJsonText, readBodyText, route } from "@/lib/server/route";
import { actorLabel } from "@/lib/auth/actor";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "people:manage" }, async () => json({ people: await listPeople() }));

export const POST = route({ format: "problem", access: "people:manage" }, async ({ request, requestId, actor }) => {
  const person = await createPerson(newPersonBodySchema.parse(parseJsonText(await readBodyText(request, 16 * 1024))));
  logEvent("info", "person_created", { requestId, by: actorLabel(actor), email: person.email, role: person.role });
  return json(person, { status: 201 });
});
