import type { Metadata } from "next";
import { SessionsList } from "@/components/auth/sessions-list";
import { requirePageActor } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Account" };

/** Who you are, with which role, and where you are signed in. */
export default async function AccountPage() {
  const actor = await requirePageActor();
  return (
    <section className="space-y-5">
      <h1 className="text-xl font-semibold">Account</h1>
      <dl className="grid max-w-md grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-zinc-600 dark:text-zinc-400">{actor.kind === "user" ? "Email" : "API key"}</dt>
        <dd>{actor.kind === "user" ? actor.email : actor.name}</dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Role</dt>
        <dd>{actor.role}</dd>
      </dl>
      {actor.kind === "user" ? (
        <>
          <h2 className="text-base font-semibold">Sessions</h2>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">Every browser signed in as you. Revoking one signs it out at its next request.</p>
          <SessionsList />
        </>
      ) : null}
    </section>
  );
}
