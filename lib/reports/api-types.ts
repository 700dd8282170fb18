// The console's reports (/failures, /usage and /api/reports/…): query schemas and answer types.
// Client-safe: the pages, their charts and the route handlers share this one definition.
import { z } from "zod";

export const REPORT_RANGES = [7, 30, 90] as const;

const rangeDays = z.coerce
  .number()
  .int()
  .refine((days) => (REPORT_RANGES as readonly number[]).includes(days), { message: `must be one of ${REPORT_RANGES.join(", ")}` });

export const failuresQuerySchema = z.strictObject({ days: rangeDays.default(30) });
export const usageQuerySchema = z.strictObject({ days: rangeDays.default(30) });
export type ReportQuery = z.output<typeof usageQuerySchema>;

export interface FailedFile {
  reference: string;
  sourceUrl: string | null;
  jobId: string;
  upstreamJobId: string | null;
  projectName: string | null;
  projectId: string | null;
  outcome: "partial" | "error";
  createdAt: string;
}

export interface FailureGroup {
  message: string;
  fileCount: number;
  jobCount: number;
  lastSeenAt: string;
  /** The newest files of the group (up to FAILURE_FILES_PER_GROUP); fileCount tells how many there are. */
  files: FailedFile[];
}

export const FAILURE_FILES_PER_GROUP = 50;

export interface FailureReport {
  days: number;
  groups: FailureGroup[];
}

export interface UsageDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  success: number;
  partial: number;
  error: number;
  cancelled: number;
  rejected: number;
  /** Still submitting, queued, running or being cancelled. */
  active: number;
  filesFailed: number;
  mediaMinutes: number;
  aiCredits: number;
}

export interface UsageReport {
  days: number;
  /** One entry per UTC day of the range, oldest first, days without jobs included as zeros. */
  daily: UsageDay[];
}
