// GET /api/account — anyone signed in (or any key): who am I, with which role.
import type { AccountAnswer } from "@/lib/auth/api-types";
import { json, route } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export const GET = route({ format: "problem", access: "signed-in" }, async ({ actor }) => {
  const answer: AccountAnswer = { kind: actor.kind, name: actor.name, email: actor.kind === "user" ? actor.email : null, role: actor.role };
  return json(answer);
});
