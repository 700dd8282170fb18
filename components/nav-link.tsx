"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** A header link that marks the page it leads to as the current one (a job's page belongs to Jobs). */
export function NavLink({ href, children }: { href: string; children: string }) {
  const pathname = usePathname();
  const isCurrent = href === "/jobs" ? pathname === "/jobs" || (pathname.startsWith("/jobs/") && pathname !== "/jobs/new") : pathname === href;
  return (
    <Link
      href={href}
      aria-current={isCurrent ? "page" : undefined}
      className={`rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
        isCurrent ? "font-semibold text-zinc-950 dark:text-white" : "text-zinc-700 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100"
      }`}
    >
      {children}
    </Link>
  );
}
