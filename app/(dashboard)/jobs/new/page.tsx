import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import Link from "next/link";
import { NewAgentForm } from "@/components/forms/new-agent-form";
import { NewImportForm } from "@/components/forms/new-import-form";

export const metadata: Metadata = { title: "New job" };

const KINDS = [
  { kind: "import", label: "Import media" },
  { kind: "agent", label: "Agent edit" },
] as const;

/** Submit an import or an agent edit through Jobdeck (in your name); the Descript token stays on the server. */
export default async function NewJobPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!can((await requirePageActor()).role, "jobs:submit")) return <Forbidden what="submit jobs" />;
  const kind = (await searchParams).kind === "agent" ? "agent" : "import";
  return (
    <section className="space-y-5">
      <h1 className="text-xl font-semibold">New job</h1>
      <nav aria-label="Kind of job">
        <ul className="inline-flex rounded-md border border-zinc-300 p-0.5 text-sm dark:border-zinc-700">
          {KINDS.map((item) => (
            <li key={item.kind}>
              <Link
                href={`/jobs/new?kind=${item.kind}`}
                aria-current={kind === item.kind ? "page" : undefined}
                className={`block rounded px-3 py-1.5 focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                  kind === item.kind ? "bg-indigo-600 text-white dark:bg-indigo-500" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                }`}
              >
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {kind === "agent" ? <NewAgentForm /> : <NewImportForm />}
    </section>
  );
}
