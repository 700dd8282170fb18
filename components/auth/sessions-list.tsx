"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AdminTable, CELL, ErrorAlert, when } from "@/components/admin/table";
import { request } from "@/components/jobs/api";
import { Button } from "@/components/ui/button";
import type { SessionSummary } from "@/lib/auth/api-types";

const KEY = ["account", "sessions"] as const;

/** The signed-in person's sessions (browsers), each revocable; this one is marked. */
export function SessionsList() {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: KEY, queryFn: () => request<{ sessions: SessionSummary[] }>("/api/account/sessions") });
  const revoke = useMutation({
    mutationFn: (id: string) => request(`/api/account/sessions/${id}`, { method: "DELETE" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
  if (sessions.isPending) return <p className="text-sm">Loading sessions…</p>;
  if (sessions.isError) return <ErrorAlert>Could not load sessions: {sessions.error.message}</ErrorAlert>;
  return (
    <div className="space-y-3">
      {revoke.isError ? <ErrorAlert>Could not revoke that session: {revoke.error.message}</ErrorAlert> : null}
      <AdminTable label="Sessions" head={["Signed in", "Expires", "Address", "Browser", ""]}>
        {sessions.data.sessions.map((session) => (
          <tr key={session.id}>
            <td className={CELL}>
              {when(session.createdAt)}
              {session.isCurrent ? <span className="ml-2 rounded-full bg-indigo-100 px-2 py-0.5 text-xs text-indigo-900 dark:bg-indigo-900/40 dark:text-indigo-200">this one</span> : null}
            </td>
            <td className={CELL}>{when(session.expiresAt)}</td>
            <td className={CELL}>{session.ipAddress ?? "—"}</td>
            <td className={`${CELL} max-w-xs truncate`} title={session.userAgent ?? undefined}>
              {session.userAgent ?? "—"}
            </td>
            <td className={`${CELL} text-right`}>
              {session.isCurrent ? null : (
                <Button size="sm" variant="secondary" disabled={revoke.isPending} onClick={() => revoke.mutate(session.id)}>
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
