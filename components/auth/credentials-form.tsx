"use client";

import { useId, useState, type FormEvent } from "react";
import { jsonBody } from "@/components/jobs/api";
import { Button } from "@/components/ui/button";

const FIELD = "w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950";

/**
 * Sign-in (email, password) and first-run setup (name too): posts JSON to `action`, then leaves for
 * `next` with replace, so the form is not a back-button stop.
 */
export function CredentialsForm({ action, submitLabel, withName = false, next }: { action: string; submitLabel: string; withName?: boolean; next: string }) {
  const ids = { name: useId(), email: useId(), password: useId() };
  const [error, setError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const body = Object.fromEntries([...form.entries()].map(([key, value]) => [key, String(value)]));
    const response = await fetch(action, jsonBody(body)).catch(() => null);
    if (response?.ok) {
      window.location.replace(next);
      return;
    }
    const problem = response ? ((await response.json().catch(() => null)) as { detail?: string } | null) : null;
    setError(problem?.detail ?? "Jobdeck could not be reached; try again.");
    setPending(false);
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      {withName ? (
        <div className="space-y-1">
          <label htmlFor={ids.name} className="block text-sm font-medium">Name</label>
          <input id={ids.name} name="name" required autoComplete="name" className={FIELD} />
        </div>
      ) : null}
      <div className="space-y-1">
        <label htmlFor={ids.email} className="block text-sm font-medium">Email</label>
        <input id={ids.email} name="email" type="email" required autoComplete="username" className={FIELD} />
      </div>
      <div className="space-y-1">
        <label htmlFor={ids.password} className="block text-sm font-medium">Password</label>
        <input
          id={ids.password}
          name="password"
          type="password"
          required
          minLength={withName ? 12 : undefined}
          autoComplete={withName ? "new-password" : "current-password"}
          className={FIELD}
        />
        {withName ? <p className="text-xs text-zinc-600 dark:text-zinc-400">At least 12 characters.</p> : null}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={isPending} className="w-full">
        {isPending ? "…" : submitLabel}
      </Button>
    </form>
  );
}
