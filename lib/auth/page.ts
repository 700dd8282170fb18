import "server-only";
// Pages ask here who is looking: anonymous visitors go to sign-in (or, on a fresh install, to
// /setup), and a page whose action the role lacks shows the 403 page (components/auth/forbidden.tsx).
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getActor, type Actor } from "./actor";
import { countPeople } from "./people";

export async function requirePageActor(): Promise<Actor> {
  const actor = await getActor(await headers());
  if (actor) return actor;
  if ((await countPeople()) === 0) redirect("/setup");
  redirect("/sign-in");
}
