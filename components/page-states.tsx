"use client";

import { Button } from "@/components/ui/button";

/** What a page shows while its server part loads: distinct from an empty or a failed page. */
export function PageLoading({ what }: { what: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">Loading {what}…</p>
      <div aria-hidden className="h-6 w-64 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div aria-hidden className="h-32 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
    </div>
  );
}

/** A page whose query failed: says so, never looks like "nothing here". */
export function PageError({ what, error, reset }: { what: string; error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="space-y-3 rounded-md border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100">
      <h1 className="text-base font-semibold">Could not load {what}</h1>
      <p className="text-sm">
        The query failed{error.digest ? ` (reference ${error.digest}, in the server log)` : ""}. Nothing was changed.
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
