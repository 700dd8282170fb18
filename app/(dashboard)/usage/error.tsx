"use client";

import { PageError } from "@/components/page-states";

export default function ReportError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageError what="usage" error={error} reset={reset} />;
}
