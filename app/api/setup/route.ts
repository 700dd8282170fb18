// POST /api/setup — first run only: with nobody to sign in yet, creates the first admin. Public by
// necessity, and answered 409 for good once anyone exists.
import { setupBodySchema } from "@/lib/auth/api-types";
import { createFirstAdmin } from "@/lib/auth/people";
import { AppError } from "@/lib/server/errors";
import { logEvent } from "@/lib/server/log";
import { json, parseJsonText, readBodyText, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const POST = route({ format: "problem", access: "public" }, async ({ request, requestId }) => {
  const body = setupBodySchema.parse(parseJsonText(await readBodyText(request, 16 * 1024)));
  const person = await createFirstAdmin(body);
  if (!person) throw new AppError("conflict", "Jobdeck already has people; an admin adds more.");
  logEvent("info", "first_admin_created", { requestId, email: person.email });
  return json(person, { status: 201 });
});
