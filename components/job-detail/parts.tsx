// The small building blocks of the console's pages: notices, titled sections, labelled values.
import type { ReactNode } from "react";

const NOTICE_STYLES = {
  info: "border-sky-200 bg-sky-50 text-sky-900 dark:border-sky-900 dark:bg-sky-950/50 dark:text-sky-100",
  warning: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100",
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100",
} as const;

export function Notice({ tone, children }: { tone: keyof typeof NOTICE_STYLES; children: ReactNode }) {
  return (
    <p role={tone === "error" ? "alert" : "note"} className={`rounded-md border px-3 py-2 text-sm ${NOTICE_STYLES[tone]}`}>
      {children}
    </p>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-3" aria-labelledby={`section-${title.toLowerCase()}`}>
      <h2 id={`section-${title.toLowerCase()}`} className="text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Item({ label, mono = false, children }: { label: string; mono?: boolean; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className={`break-words ${mono ? "font-mono text-xs" : ""}`}>{children}</dd>
    </div>
  );
}
