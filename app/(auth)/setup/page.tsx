import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { countPeople } from "@/lib/auth/people";

export const metadata: Metadata = { title: "Set up" };

/** First run only: with no people yet, create the admin (who then adds everyone else). */
export default async function SetupPage() {
  if ((await countPeople()) > 0) redirect("/sign-in");
  return (
    <section className="space-y-4">
      <h1 className="text-xl font-semibold">Create the admin</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">Nobody can sign in yet. The first account is the admin, who adds people and API keys.</p>
      <CredentialsForm action="/api/setup" submitLabel="Create admin" withName next="/sign-in" />
    </section>
  );
}
