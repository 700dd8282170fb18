import type { ReactNode } from "react";

/** The admin pages' plain table, in the console's look. */
export function AdminTable({ label, head, children }: { label: string; head: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table aria-label={label} className="w-full text-left text-sm">
        <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            {head.map((cell) => (
              <th key={cell} scope="col" className="px-3 py-2 font-medium">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}

export const CELL = "px-3 py-2 align-middle";
export const FIELD = "rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950";
export const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

/** A request's refusal or failure, announced: a change the server refused must never pass silently. */
export function ErrorAlert({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <p role="alert" className={`text-sm text-red-700 dark:text-red-300 ${className}`}>
      {children}
    </p>
  );
}
