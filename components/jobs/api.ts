import type { JobListPage, JobListQuery } from "@/lib/jobs/api-types";

/** The console API's problem+json error, surfaced with its detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = typeof body === "object" && body !== null && "detail" in body ? String(body.detail) : response.statusText;
    throw new ApiError(response.status, detail);
  }
  return body as T;
}

export function fetchJobs(query: JobListQuery): Promise<JobListPage> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") search.set(key, String(value));
  return request(`/api/jobs${search.size ? `?${search}` : ""}`);
}
