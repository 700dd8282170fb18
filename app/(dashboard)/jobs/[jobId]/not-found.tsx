import Link from "next/link";

export default function JobNotFound() {
  return (
    <section className="space-y-3">
      <h1 className="text-xl font-semibold">No such job</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Neither a Jobdeck id nor a Descript job_id matches. Jobs are kept here for the retention period only; the project in Descript
        is unaffected.
      </p>
      <p className="text-sm">
        <Link href="/jobs" className="text-indigo-700 underline dark:text-indigo-300">
          Back to all jobs
        </Link>
      </p>
    </section>
  );
}
