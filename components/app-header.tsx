import Link from "next/link";
import { NavLink } from "./nav-link";

const NAVIGATION = [
  { href: "/jobs", label: "Jobs" },
  { href: "/jobs/new", label: "New job" },
  { href: "/failures", label: "Failures" },
  { href: "/usage", label: "Usage" },
];

export function AppHeader({ upstream }: { upstream: "sandbox" | "live" }) {
  return (
    <header className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3 sm:px-6">
        <Link href="/jobs" className="text-lg font-semibold tracking-tight">
          Jobdeck
        </Link>
        <nav aria-label="Main">
          <ul className="flex gap-4 text-sm">
            {NAVIGATION.map((item) => (
              <li key={item.href}>
                <NavLink href={item.href}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ml-auto">
          {upstream === "sandbox" ? (
            <span
              className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200"
              title="No Descript token is configured: jobs run against the local Descript emulator"
            >
              Sandbox
            </span>
          ) : (
            <span className="rounded-full bg-emerald-100 px-2.5 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200">
              Live Descript API
            </span>
          )}
        </div>
      </div>
    </header>
  );
}
