import Link from "next/link";
import { can, type Action, type Role } from "@/lib/auth/permissions";
import { SignOutButton } from "./auth/sign-out-button";
import { NavLink } from "./nav-link";
import { UpstreamMode } from "./upstream-mode";

const NAVIGATION: Array<{ href: string; label: string; action: Action }> = [
  { href: "/jobs", label: "Jobs", action: "jobs:read" },
  { href: "/jobs/new", label: "New job", action: "jobs:submit" },
  { href: "/failures", label: "Failures", action: "jobs:read" },
  { href: "/usage", label: "Usage", action: "jobs:read" },
  { href: "/admin/people", label: "People", action: "people:manage" },
  { href: "/admin/keys", label: "API keys", action: "keys:manage" },
];

export function AppHeader({ upstream, viewer }: { upstream: "sandbox" | "live"; viewer: { role: Role; name: string } }) {
  return (
    <header className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3 sm:px-6">
        <Link href="/jobs" className="text-lg font-semibold tracking-tight">
          Jobdeck
        </Link>
        <nav aria-label="Main">
          <ul className="flex gap-4 text-sm">
            {NAVIGATION.filter((item) => can(viewer.role, item.action)).map((item) => (
              <li key={item.href}>
                <NavLink href={item.href}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <UpstreamMode mode={upstream} variant="badge" />
          <Link href="/account" className="text-sm text-zinc-700 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100" title="Your account and sessions">
            {viewer.name} <span className="text-zinc-500 dark:text-zinc-400">({viewer.role})</span>
          </Link>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
