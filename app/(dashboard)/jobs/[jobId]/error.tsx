"use client";

import { PageError } from "@/components/page-states";

export default function JobError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError what="this job" error={error} reset={reset} />;
}
