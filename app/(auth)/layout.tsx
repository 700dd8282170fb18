import type { ReactNode } from "react";

/** Sign-in and first-run setup: a small card, no navigation. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="mx-auto mt-20 max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <p className="mb-4 text-lg font-semibold tracking-tight">Jobdeck</p>
      {children}
    </main>
  );
}
