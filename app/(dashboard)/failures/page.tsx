import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import Link from "next/link";
import { FailureGroups } from "@/components/reports/failure-groups";
import { RangePicker } from "@/components/reports/range-picker";
import { failuresQuerySchema } from "@/lib/reports/api-types";
import { getFailureReport } from "@/lib/reports/repository";

export const metadata: Metadata = { title: "Failures" };

/** Imports that ended partial or error, their failed files grouped by error message. */
export default async function FailuresPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!can((await requirePageActor()).role, "jobs:read")) return <Forbidden what="see failure reports" />;
  const query = failuresQuerySchema.safeParse({ days: (await searchParams).days ?? undefined });
  const report = await getFailureReport(query.success ? query.data : { days: 30 });
  return (
    <section className="space-y-5">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-xl font-semibold">Failures</h1>
        <RangePicker path="/failures" days={report.days} />
      </div>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Files of imports that ended <strong>partial</strong> or <strong>error</strong> in the last {report.days} days, grouped by error message.
        Open a job to re-import its failed files.
      </p>
      {report.groups.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-700 dark:border-zinc-700 dark:text-zinc-300">
          No failed import files in the last {report.days} days.{" "}
          <Link href="/jobs?outcome=partial" className="text-indigo-700 underline dark:text-indigo-300">
            See all jobs
          </Link>
        </p>
      ) : (
        <FailureGroups groups={report.groups} />
      )}
    </section>
  );
}
