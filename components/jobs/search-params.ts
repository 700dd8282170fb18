// The /jobs view as it lives in the URL: one description for the server (first paint) and the
// browser (useQueryStates), so both build the same list query and so the same query key.
import { createLoader, createSerializer, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { JOB_OUTCOMES, JOB_SORTS, type JobListQuery } from "@/lib/jobs/api-types";
import { JOB_STATES } from "@/lib/jobs/state-machine";

export const JOB_TYPES = ["import/project_media", "agent", "publish"] as const;

/** Short names for job types; anything else upstream reports is shown as it came. */
export const JOB_TYPE_LABELS: Record<string, string> = { "import/project_media": "import", agent: "agent edit", publish: "publish" };

/** Rows per page; fixed so that a shared link shows the same page. */
export const PAGE_SIZE = 50;

export const jobViewParams = {
  state: parseAsStringLiteral(JOB_STATES),
  outcome: parseAsStringLiteral(JOB_OUTCOMES),
  type: parseAsString,
  project: parseAsString,
  q: parseAsString,
  sort: parseAsStringLiteral(JOB_SORTS).withDefault("created_desc"),
  cursor: parseAsString,
};

export const loadJobView = createLoader(jobViewParams);

export type JobView = Awaited<ReturnType<typeof loadJobView>>;

/** The view's filters without its page: what "new jobs matching the view" are matched against. */
export function toFilterQuery(view: JobView): JobListQuery {
  const query: JobListQuery = { sort: view.sort };
  if (view.state) query.state = view.state;
  if (view.outcome) query.outcome = view.outcome;
  for (const key of ["type", "project", "q"] as const) {
    const value = view[key]?.trim();
    if (value) query[key] = value;
  }
  return query;
}

/** The list query for the page the view shows. */
export function toListQuery(view: JobView): JobListQuery {
  return { ...toFilterQuery(view), limit: PAGE_SIZE, ...(view.cursor ? { cursor: view.cursor } : {}) };
}

export function hasFilters(view: JobView): boolean {
  return Boolean(view.state || view.outcome || view.type || view.project || view.q);
}

/** The /jobs address of a view (for links that work without JavaScript). */
const serialize = createSerializer(jobViewParams);
export const serializeJobView = (view: Partial<JobView>) => serialize("/jobs", view);
