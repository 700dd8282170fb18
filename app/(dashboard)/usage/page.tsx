import type { Metadata } from "next";
import { Forbidden } from "@/components/auth/forbidden";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import Link from "next/link";
import { RangePicker } from "@/components/reports/range-picker";
import { UsageCharts } from "@/components/reports/usage-charts";
import { usageQuerySchema } from "@/lib/reports/api-types";
import { getUsageReport } from "@/lib/reports/repository";

export const metadata: Metadata = { title: "Usage" };

/** Jobs per day by outcome, failed files, media minutes and AI credits, read on the server. */
export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!can((await requirePageActor()).role, "jobs:read")) return <Forbidden what="see usage reports" />;
  const query = usageQuerySchema.safeParse({ days: (await searchParams).days ?? undefined });
  const report = await getUsageReport(query.success ? query.data : { days: 30 });
  const totals = report.daily.reduce(
    (sum, day) => ({
      jobs: sum.jobs + day.success + day.partial + day.error + day.cancelled + day.rejected + day.active,
      filesFailed: sum.filesFailed + day.filesFailed,
      mediaMinutes: sum.mediaMinutes + day.mediaMinutes,
      aiCredits: sum.aiCredits + day.aiCredits,
    }),
    { jobs: 0, filesFailed: 0, mediaMinutes: 0, aiCredits: 0 },
  );
  return (
    <section className="space-y-5">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-xl font-semibold">Usage</h1>
        <RangePicker path="/usage" days={report.days} />
      </div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        {[
          ["Jobs", totals.jobs],
          ["Files failed", totals.filesFailed],
          ["Media minutes", Math.round(totals.mediaMinutes * 10) / 10],
          ["AI credits", Math.round(totals.aiCredits * 100) / 100],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
            <dt className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{label}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">By the UTC day each job was created: the jobs Jobdeck keeps, and the daily rollups of those the expiry sweep has deleted.</p>
      {totals.jobs === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-700 dark:border-zinc-700 dark:text-zinc-300">
          No jobs in the last {report.days} days.{" "}
          <Link href="/jobs/new" className="text-indigo-700 underline dark:text-indigo-300">
            Submit one
          </Link>
        </p>
      ) : (
        <UsageCharts daily={report.daily} />
      )}
    </section>
  );
}
