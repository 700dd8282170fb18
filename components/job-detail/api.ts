import { jsonBody, request } from "@/components/jobs/api";
import type { JobDetail, JobEventPage } from "@/lib/jobs/api-types";
import type { Submission, SubmissionAnswer } from "@/lib/jobs/submission";

export const fetchJobDetail = (key: string) => request<JobDetail>(`/api/jobs/${encodeURIComponent(key)}`);

export function fetchJobEvents(key: string, cursor: string | null): Promise<JobEventPage> {
  return request(`/api/jobs/${encodeURIComponent(key)}/events${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
}

export const reimportFailedFiles = (jobId: string) => request<SubmissionAnswer>(`/api/jobs/${jobId}/reimport`, { method: "POST" });

export const submitJob = (submission: Submission) =>
  request<SubmissionAnswer>("/api/jobs/submissions", jsonBody(submission));
