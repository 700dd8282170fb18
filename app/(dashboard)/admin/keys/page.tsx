import type { Metadata } from "next";
import { KeysAdmin } from "@/components/admin/keys-admin";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  if (!can((await requirePageActor()).role, "keys:manage")) return <Forbidden what="manage API keys" />;
  return (
    <section className="space-y-5">
      <h1 className="text-xl font-semibold">API keys</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        For programs using the Descript-compatible proxy (<code>/api/v1</code>) or the console API: send{" "}
        <code>Authorization: Bearer &lt;key&gt;</code>. Each key has a role; a revoked key stops working at once.
      </p>
      <KeysAdmin />
    </section>
  );
}
