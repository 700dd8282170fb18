import type { Metadata } from "next";
import { PeopleAdmin } from "@/components/admin/people-admin";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage() {
  const actor = await requirePageActor();
  if (!can(actor.role, "people:manage")) return <Forbidden what="manage people" />;
  return (
    <section className="space-y-5">
      <h1 className="text-xl font-semibold">People</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Who can sign in, and what their role lets them do. Disabling someone signs them out everywhere at once.
      </p>
      <PeopleAdmin selfId={actor.kind === "user" ? actor.userId : null} />
    </section>
  );
}
