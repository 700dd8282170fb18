import type { Metadata } from "next";
import { JobsTable } from "@/components/jobs/jobs-table";

export const metadata: Metadata = { title: "Jobs" };

export default function JobsPage() {
  return (
    <section className="space-y-4">
      <h1 className="text-xl font-semibold">Jobs</h1>
      <JobsTable />
    </section>
  );
}
