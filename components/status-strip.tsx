"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useViewer } from "@/components/auth/viewer";
import { Button } from "@/components/ui/button";
import type { StatusAnswer } from "@/lib/status/api-types";
import { useHydrated } from "@/components/ui/use-hydrated";
import { request } from "./jobs/api";
import { formatDateTime } from "./jobs/format";
import { statusKeys } from "./jobs/query-keys";
import { UpstreamMode } from "./upstream-mode";

const REFRESH_MS = 30_000;

function isHeldBack(blockedUntil: string | null): boolean {
  return blockedUntil !== null && Date.parse(blockedUntil) > Date.now();
}

/**
 * The strip under the header: which upstream this instance talks to, and whatever the background
 * work reports (budget, sweeps, webhook silence) as soon as GET /api/status carries it.
 */
export function StatusStrip({ initial }: { initial: StatusAnswer }) {
  const isHydrated = useHydrated();
  const { data: status } = useQuery({
    queryKey: statusKeys.all,
    queryFn: () => request<StatusAnswer>("/api/status"),
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
  const when = (iso: string | null | undefined) => (iso ? formatDateTime(iso, isHydrated) : "—");
  const { can } = useViewer();
  const queryClient = useQueryClient();
  const sweep = useMutation({
    mutationFn: () => request<{ jobsDeleted: number }>("/api/sweep", { method: "POST" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: statusKeys.all }),
  });
  return (
    <section aria-label="Status" className="border-b border-zinc-200 bg-white text-xs dark:border-zinc-800 dark:bg-zinc-950">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-1.5 text-zinc-700 sm:px-6 dark:text-zinc-300">
        <p>
          Upstream:{" "}
          <UpstreamMode mode={status.upstream.mode} variant="line" />
        </p>
        <p title={`At most ${status.budget.ratePerSecond} calls per second to Descript, shared by every instance`}>
          Upstream budget: {status.budget.remaining} calls free, {status.budget.consumed} in the last minute
          {isHeldBack(status.budget.blockedUntil) ? (
            <strong className="font-medium text-amber-800 dark:text-amber-300"> — held back until {when(status.budget.blockedUntil)} (Descript answered 429)</strong>
          ) : status.budget.last429At ? (
            `, last 429 ${when(status.budget.last429At)}`
          ) : (
            ""
          )}
        </p>
        <p>
          Sweep: last {when(status.sweep.lastAt)}, next {when(status.sweep.nextAt)}
          {can("ops:sweep") ? (
            <Button size="sm" variant="ghost" className="ml-2" disabled={sweep.isPending} onClick={() => sweep.mutate()}>
              {sweep.isPending ? "Sweeping…" : "Sweep now"}
            </Button>
          ) : null}
          {sweep.isSuccess ? ` — ${sweep.data.jobsDeleted} jobs deleted` : ""}
          {sweep.isError ? <span role="alert"> — sweep failed: {sweep.error.message}</span> : null}
        </p>
        {status.webhookSilence.missedLastHour > 0 && (
          <p role="alert" className="font-medium text-amber-800 dark:text-amber-300">
            Webhook silence: {status.webhookSilence.missedLastHour} {status.webhookSilence.missedLastHour === 1 ? "job" : "jobs"} ended
            upstream without a callback in the last hour
            {status.webhookSilence.lastMissedJobId ? (
              <>
                {" "}(latest{" "}
                <a className="underline" href={`/jobs/${status.webhookSilence.lastMissedJobId}`}>
                  {when(status.webhookSilence.lastMissedAt)}
                </a>
                )
              </>
            ) : null}
            . Check that Descript can reach PUBLIC_BASE_URL.
          </p>
        )}
      </div>
    </section>
  );
}
