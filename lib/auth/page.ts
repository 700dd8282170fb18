import "server-only";
// Pages ask here who is looking: anonymous visitors go to sign-in (or, on a fresh install, to
// /setup), and a page whose action the role lacks shows the 403 page (components/auth/forbidden.tsx).
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getActor, type Actor } from "./actor";
import { countPeople } from "./people";

// The dashboard layout and its page both ask, in one render: React's cache() (kept per server
// request) lets the session and role be read once. A redirect is thrown, and cached too, so every
// caller in the request leaves the same way.
export const requirePageActor = cache(async (): Promise<Actor> => {
  const actor = await getActor(await headers());
  if (actor) return actor;
  if ((await countPeople()) === 0) redirect("/setup");
  redirect("/sign-in");
});
