"use client";

import { useQueryStates } from "nuqs";
import { useId, type ReactNode } from "react";
import { JOB_OUTCOMES, JOB_SORTS, type JobSort } from "@/lib/jobs/api-types";
import { JOB_STATES } from "@/lib/jobs/state-machine";
import { Button } from "@/components/ui/button";
import { JOB_TYPE_LABELS, JOB_TYPES, hasFilters, jobViewParams } from "./search-params";

const SORT_LABELS: Record<JobSort, string> = {
  created_desc: "Newest first",
  created_asc: "Oldest first",
  updated_desc: "Recently changed",
};

const CONTROL =
  "h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 dark:border-zinc-600 dark:bg-zinc-900";

/**
 * The view's filters, held in the URL (nuqs). A plain GET form underneath, so the filters work
 * without JavaScript too; with it, choices apply at once and text on Enter, without a reload.
 */
export function JobFilters() {
  const [view, setView] = useQueryStates(jobViewParams);
  const apply = (changes: Partial<typeof view>) => void setView({ ...changes, cursor: null });
  const textKey = `${view.project ?? ""}\u0000${view.q ?? ""}`;
  return (
    <form
      role="search"
      aria-label="Filter jobs"
      action="/jobs"
      method="get"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const text = (name: string) => String(form.get(name) ?? "").trim() || null;
        apply({ q: text("q"), project: text("project") });
      }}
    >
      <Field label="Search">
        {(id) => (
          <input id={id} key={`q${textKey}`} name="q" type="search" defaultValue={view.q ?? ""} placeholder="Job id, project, file name" className={`${CONTROL} w-56`} />
        )}
      </Field>
      <Field label="Project">
        {(id) => <input id={id} key={`p${textKey}`} name="project" defaultValue={view.project ?? ""} placeholder="Name or id" className={`${CONTROL} w-40`} />}
      </Field>
      <Field label="State">
        {(id) => (
          <select id={id} name="state" value={view.state ?? ""} onChange={(event) => apply({ state: (event.target.value || null) as typeof view.state })} className={CONTROL}>
            <option value="">Any</option>
            {JOB_STATES.map((state) => (
              <option key={state} value={state}>
                {state.replace("_", " ")}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Outcome">
        {(id) => (
          <select id={id} name="outcome" value={view.outcome ?? ""} onChange={(event) => apply({ outcome: (event.target.value || null) as typeof view.outcome })} className={CONTROL}>
            <option value="">Any</option>
            {JOB_OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {outcome}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Type">
        {(id) => (
          <select id={id} name="type" value={view.type ?? ""} onChange={(event) => apply({ type: event.target.value || null })} className={CONTROL}>
            <option value="">Any</option>
            {[...new Set([...JOB_TYPES, ...(view.type ? [view.type] : [])])].map((type) => (
              <option key={type} value={type}>
                {JOB_TYPE_LABELS[type] ?? type}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Sort">
        {(id) => (
          <select id={id} name="sort" value={view.sort} onChange={(event) => apply({ sort: event.target.value as JobSort })} className={CONTROL}>
            {JOB_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        {hasFilters(view) && (
          <Button variant="ghost" onClick={() => apply({ state: null, outcome: null, type: null, project: null, q: null })}>
            Clear filters
          </Button>
        )}
      </div>
    </form>
  );
}

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      {children(id)}
    </div>
  );
}
