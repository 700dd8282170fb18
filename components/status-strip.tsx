"use client";

import { useQuery } from "@tanstack/react-query";
import type { StatusAnswer } from "@/lib/status/api-types";
import { useHydrated } from "@/components/ui/use-hydrated";
import { request } from "./jobs/api";
import { formatDateTime } from "./jobs/format";
import { statusKeys } from "./jobs/query-keys";

const REFRESH_MS = 30_000;

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
  return (
    <section aria-label="Status" className="border-b border-zinc-200 bg-white text-xs dark:border-zinc-800 dark:bg-zinc-950">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-4 py-1.5 text-zinc-700 sm:px-6 dark:text-zinc-300">
        <p>
          Upstream:{" "}
          {status.upstream.mode === "sandbox" ? (
            <strong className="font-medium text-amber-800 dark:text-amber-300">sandbox — the local Descript emulator, no real jobs</strong>
          ) : (
            <strong className="font-medium text-emerald-800 dark:text-emerald-300">live Descript API</strong>
          )}
        </p>
        {status.budget && (
          <p>
            Upstream budget: {status.budget.remaining} of {status.budget.limit} requests left
            {status.budget.resetsAt ? `, resets ${when(status.budget.resetsAt)}` : ""}
          </p>
        )}
        {status.sweep && (
          <p>
            Sweep: last {when(status.sweep.lastAt)}, next {when(status.sweep.nextAt)}
          </p>
        )}
        {status.webhookSilence?.map((warning) => (
          <p key={warning.message} role="alert" className="font-medium text-amber-800 dark:text-amber-300">
            {warning.message}
            {warning.since ? ` (since ${when(warning.since)})` : ""}
          </p>
        ))}
      </div>
    </section>
  );
}
