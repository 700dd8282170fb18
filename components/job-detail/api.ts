import { ApiError, jsonBody } from "@/components/jobs/api";
import type { JobDetail, JobEventPage } from "@/lib/jobs/api-types";
import type { Submission, SubmissionAnswer } from "@/lib/jobs/submission";

export interface InvalidParam {
  name: string;
  reason: string;
}

/** A console API error with the per-field findings of a refused request. */
export class ConsoleApiError extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly invalidParams: InvalidParam[] = [],
  ) {
    super(status, message);
  }
}

async function requestJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = (typeof body === "object" && body !== null ? body : {}) as { detail?: unknown; invalidParams?: InvalidParam[] };
    throw new ConsoleApiError(response.status, typeof problem.detail === "string" ? problem.detail : response.statusText, problem.invalidParams);
  }
  return body as T;
}

export const fetchJobDetail = (key: string) => requestJson<JobDetail>(`/api/jobs/${encodeURIComponent(key)}`);

export function fetchJobEvents(key: string, cursor: string | null): Promise<JobEventPage> {
  return requestJson(`/api/jobs/${encodeURIComponent(key)}/events${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
}

export const reimportFailedFiles = (jobId: string) => requestJson<SubmissionAnswer>(`/api/jobs/${jobId}/reimport`, { method: "POST" });

export const submitJob = (submission: Submission) =>
  requestJson<SubmissionAnswer>("/api/jobs/submissions", jsonBody(submission));
