// What the console's forms submit (POST /api/jobs/submissions): a job type and its request body,
// checked with the very schemas the Descript-compatible proxy uses. Client-safe, so the forms show
// the same findings at their fields before anything is sent.
import { z } from "zod";
import { describeFirstIssue, formatLabel } from "@/lib/descript/joi-message";
import { agentRequestSchema, importRequestSchema } from "@/lib/descript/schemas";

export const submissionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("import/project_media"), request: importRequestSchema }),
  z.strictObject({ type: z.literal("agent"), request: agentRequestSchema }),
]);
export type Submission = z.input<typeof submissionSchema>;

export interface SubmissionAnswer {
  jobId: string;
  upstreamJobId: string;
}

export interface FieldIssue {
  /** Where in the request body, e.g. ["add_media", "intro.mp4", "url"]; [] for the body as a whole. */
  path: PropertyKey[];
  /** Worded as Descript (and so the proxy) words it. */
  message: string;
}

/** Every finding about a submission, each worded as the proxy would word it alone, relative to the request body. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => {
    const path = issue.path[0] === "request" ? issue.path.slice(1) : [...issue.path];
    // A refused record key (an unnamed file) has no Joi wording of its own.
    if (issue.code === "invalid_key") return { path, message: `${formatLabel(path.slice(0, -1))} keys must not be empty` };
    return { path, message: describeFirstIssue([{ ...issue, path }]) };
  });
}
