import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { ViewerProvider } from "@/components/auth/viewer";
import { StatusStrip } from "@/components/status-strip";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { getEnv } from "@/lib/server/env";
import { getStatus } from "@/lib/worker/status";

/** The signed-in console: header, the status strip for ops, and the page. Each page checks its own action too. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  const viewer = { role: actor.role, principalId: actor.principalId };
  return (
    <ViewerProvider viewer={viewer}>
      <AppHeader upstream={getEnv().descriptMode} viewer={{ ...viewer, name: actor.kind === "user" ? actor.email : actor.name }} />
      {can(actor.role, "ops:status") ? <StatusStrip initial={await getStatus()} /> : null}
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">{children}</main>
    </ViewerProvider>
  );
}
