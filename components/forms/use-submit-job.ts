"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { submitJob } from "@/components/job-detail/api";
import { ApiError } from "@/components/jobs/api";
import { describeIssues, submissionSchema, type FieldIssue, type Submission } from "@/lib/jobs/submission";

/**
 * Checks a submission with the proxy's own schemas, sends it, and opens the new job. Findings come
 * back as issues with request-body paths, whether the browser or the server found them.
 */
export function useSubmitJob(onIssues: (issues: FieldIssue[]) => void) {
  const router = useRouter();
  const mutation = useMutation({
    mutationFn: submitJob,
    onSuccess: (answer) => router.push(`/jobs/${answer.jobId}`),
    onError: (error) => {
      if (error instanceof ApiError && error.invalidParams.length > 0) {
        // Names are dotted request paths; file names can contain dots, so only top-level names map to a field.
        onIssues(error.invalidParams.map((param) => ({ path: param.name.includes(".") ? [] : [param.name], message: param.reason })));
      }
    },
  });
  const submit = (submission: Submission) => {
    const parsed = submissionSchema.safeParse(submission, { reportInput: true });
    if (!parsed.success) {
      onIssues(describeIssues(parsed.error.issues));
      return;
    }
    onIssues([]);
    mutation.mutate(submission);
  };
  return { submit, mutation };
}
