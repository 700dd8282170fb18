import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { countPeople } from "@/lib/auth/people";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  // A fresh install has nobody to sign in as: offer to create the admin instead.
  if ((await countPeople()) === 0) redirect("/setup");
  return (
    <section className="space-y-4">
      <h1 className="text-xl font-semibold">Sign in</h1>
      <CredentialsForm action="/api/auth/sign-in/email" submitLabel="Sign in" next="/jobs" />
    </section>
  );
}
