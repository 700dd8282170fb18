"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { jsonBody, request } from "@/components/jobs/api";
import { Button } from "@/components/ui/button";
import type { ApiKeySummary } from "@/lib/auth/api-types";
import { ROLES } from "@/lib/auth/permissions";
import { AdminTable, CELL, ErrorAlert, FIELD, when } from "./table";

const KEY = ["admin", "keys"] as const;

/** Admins: API keys for programs. A new key is shown here once and never again. */
export function KeysAdmin() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: KEY, queryFn: () => request<{ keys: ApiKeySummary[] }>("/api/keys") });
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const create = useMutation({
    mutationFn: (body: { name: string; role: string }) => request<ApiKeySummary & { key: string }>("/api/keys", jsonBody(body)),
    onSuccess: (answer) => setCreated({ name: answer.name, key: answer.key }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => request<ApiKeySummary>(`/api/keys/${id}`, { method: "DELETE" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    // Cleared only once the key exists: a refused name stays in the field to be corrected.
    create.mutate({ name: String(fields.get("name")), role: String(fields.get("role")) }, { onSuccess: () => form.reset() });
  }

  return (
    <div className="space-y-6">
      <form onSubmit={submit} aria-label="Create an API key" className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Name</span>
          <input name="name" required maxLength={100} className={FIELD} />
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Role</span>
          <select name="role" defaultValue="editor" className={FIELD}>
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Create key
        </Button>
        {create.isError ? <ErrorAlert className="w-full">{create.error.message}</ErrorAlert> : null}
      </form>
      {created ? (
        <div role="status" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950/40">
          <p>
            The key <strong>{created.name}</strong>, shown only now: copy it into the program that uses it.
          </p>
          <code className="block break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900">{created.key}</code>
          <Button size="sm" variant="ghost" onClick={() => setCreated(null)}>
            Done
          </Button>
        </div>
      ) : null}
      {keys.isError ? <ErrorAlert>{keys.error.message}</ErrorAlert> : null}
      {revoke.isError ? (
        <ErrorAlert>
          Could not revoke {keys.data?.keys.find((key) => key.id === revoke.variables)?.name ?? "the key"}: {revoke.error.message}
        </ErrorAlert>
      ) : null}
      <AdminTable label="API keys" head={["Name", "Key", "Role", "Created", "Last used", "Status", ""]}>
        {(keys.data?.keys ?? []).map((key) => (
          <tr key={key.id} className={key.revokedAt ? "text-zinc-500 dark:text-zinc-500" : undefined}>
            <td className={CELL}>{key.name}</td>
            <td className={`${CELL} font-mono text-xs`}>{key.prefix}…</td>
            <td className={CELL}>{key.role}</td>
            <td className={CELL}>
              {when(key.createdAt)} <span className="text-zinc-500 dark:text-zinc-400">by {key.createdBy}</span>
            </td>
            <td className={CELL}>{when(key.lastUsedAt)}</td>
            <td className={CELL}>{key.revokedAt ? `revoked ${when(key.revokedAt)}` : "active"}</td>
            <td className={`${CELL} text-right`}>
              {key.revokedAt ? null : (
                <Button size="sm" variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(key.id)}>
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
