"use client";
// Who is looking at the console, for hiding what they may not use. The server decides either way
// (lib/server/route.ts); this only spares people buttons that would answer 403.
import { createContext, useContext, type ReactNode } from "react";
import { can, canCancelJob, type Action, type Principal } from "@/lib/auth/permissions";

const ViewerContext = createContext<Principal | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Principal; children: ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer() {
  const viewer = useContext(ViewerContext);
  return {
    viewer,
    can: (action: Action) => can(viewer?.role, action),
    canCancel: (job: { submitterId: string | null }) => canCancelJob(viewer, job),
  };
}
