import Link from "next/link";

/** What a page shows to someone whose role may not see it (the API answers 403 likewise). */
export function Forbidden({ what }: { what: string }) {
  return (
    <section className="mx-auto max-w-lg space-y-3 py-12 text-center">
      <p className="text-sm font-medium text-zinc-500 dark:text-zinc-400">403</p>
      <h1 className="text-xl font-semibold">Not for your role</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">Your role may not {what}. An admin can change your role.</p>
      <Link href="/jobs" className="inline-block text-sm text-indigo-700 underline dark:text-indigo-300">
        Back to jobs
      </Link>
    </section>
  );
}
