import type { CancelJobsAnswer, JobDetail, JobListPage, JobListQuery } from "@/lib/jobs/api-types";

export interface InvalidParam {
  name: string;
  reason: string;
}

/** The console API's problem+json error, surfaced with its detail and, for a refused request, its per-field findings. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly invalidParams: InvalidParam[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The one way browser code sends JSON (to `request` or a plain fetch): body and content-type never drift apart. */
export function jsonBody(body: unknown, method = "POST"): RequestInit {
  return { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** The one way browser code calls the console API: its JSON answer, or an ApiError. */
export async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = (typeof body === "object" && body !== null ? body : {}) as { detail?: unknown; invalidParams?: InvalidParam[] };
    throw new ApiError(response.status, typeof problem.detail === "string" ? problem.detail : response.statusText, problem.invalidParams);
  }
  return body as T;
}

export function fetchJobs(query: JobListQuery): Promise<JobListPage> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") search.set(key, String(value));
  return request(`/api/jobs${search.size ? `?${search}` : ""}`);
}

/** Just these jobs (at most MAX_JOB_IDS), optionally only those that also match a view's filters. */
export function fetchJobsByIds(ids: string[], filters: JobListQuery = {}): Promise<JobListPage> {
  return fetchJobs({ ...filters, ids: ids.join(","), limit: ids.length, cursor: undefined });
}

export function cancelJob(jobId: string, reason: string): Promise<JobDetail> {
  return request(`/api/jobs/${jobId}/cancel`, jsonBody(reason ? { reason } : {}));
}

export function cancelJobs(ids: string[], reason: string): Promise<CancelJobsAnswer> {
  return request("/api/jobs/cancel", jsonBody(reason ? { ids, reason } : { ids }));
}
