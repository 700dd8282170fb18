"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { jsonBody, request } from "@/components/jobs/api";
import { Button } from "@/components/ui/button";
import type { PersonSummary } from "@/lib/auth/api-types";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { AdminTable, CELL, ErrorAlert, FIELD, when } from "./table";

const KEY = ["admin", "people"] as const;

/** Admins: everyone who can sign in, their role, disabling; and a form to add a person. */
export function PeopleAdmin({ selfId }: { selfId: string | null }) {
  const queryClient = useQueryClient();
  const people = useQuery({ queryKey: KEY, queryFn: () => request<{ people: PersonSummary[] }>("/api/people") });
  const change = useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: Role; disabled?: boolean }) => request<PersonSummary>(`/api/people/${id}`, jsonBody(body, "PATCH")),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
  const add = useMutation({
    mutationFn: (body: Record<string, string>) => request<PersonSummary>("/api/people", jsonBody(body)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = Object.fromEntries([...new FormData(form).entries()].map(([key, value]) => [key, String(value)]));
    // Cleared only once the person exists: a refused form keeps everything typed, to be corrected.
    add.mutate(body, { onSuccess: () => form.reset() });
  }

  return (
    <div className="space-y-6">
      <form onSubmit={submit} aria-label="Add a person" className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Name</span>
          <input name="name" required className={FIELD} />
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Email</span>
          <input name="email" type="email" required className={FIELD} />
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Password</span>
          <input name="password" type="password" minLength={12} required autoComplete="new-password" className={FIELD} />
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Role</span>
          <select name="role" defaultValue="viewer" className={FIELD}>
            {ROLES.map((role) => (
              <option key={role}>{role}</option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={add.isPending}>
          Add person
        </Button>
        {/* The mutation's own error, as the keys form shows it: gone while a retry is sent, so a
            second refusal is a new alert that screen readers announce again. */}
        {add.isError ? <ErrorAlert className="w-full">{add.error.message}</ErrorAlert> : null}
      </form>
      {people.isError ? <ErrorAlert>{people.error.message}</ErrorAlert> : null}
      {change.isError ? (
        <ErrorAlert>
          Could not change {people.data?.people.find((person) => person.id === change.variables.id)?.email ?? "that person"}: {change.error.message}
        </ErrorAlert>
      ) : null}
      <AdminTable label="People" head={["Name", "Email", "Role", "Added", "Status", ""]}>
        {(people.data?.people ?? []).map((person) => (
          <tr key={person.id}>
            <td className={CELL}>{person.name}</td>
            <td className={CELL}>{person.email}</td>
            <td className={CELL}>
              <select
                aria-label={`Role of ${person.email}`}
                value={person.role}
                disabled={person.id === selfId || change.isPending}
                onChange={(event) => change.mutate({ id: person.id, role: event.target.value as Role })}
                className={FIELD}
              >
                {ROLES.map((role) => (
                  <option key={role}>{role}</option>
                ))}
              </select>
            </td>
            <td className={CELL}>{when(person.createdAt)}</td>
            <td className={CELL}>{person.disabledAt ? <span className="text-red-700 dark:text-red-300">disabled</span> : "active"}</td>
            <td className={`${CELL} text-right`}>
              {person.id === selfId ? null : (
                <Button size="sm" variant={person.disabledAt ? "secondary" : "danger"} onClick={() => change.mutate({ id: person.id, disabled: !person.disabledAt })}>
                  {person.disabledAt ? "Enable" : "Disable"}
                </Button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
