import type { JobFileView } from "@/lib/jobs/api-types";
import { formatDuration } from "./format";

const STATUS_ORDER: Record<JobFileView["status"], number> = { failed: 0, pending: 1, success: 2 };
const STATUS_STYLES: Record<JobFileView["status"], string> = {
  failed: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
  pending: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  success: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
};

/** An import's files, failed ones first: those are what the reader came for. */
export function FileGrid({ files }: { files: JobFileView[] }) {
  const sorted = [...files].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.reference.localeCompare(b.reference));
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800" aria-label="Files">
        <thead className="bg-zinc-50 text-left text-xs font-medium uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2">Reference</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2">Duration</th>
            <th scope="col" className="px-4 py-2">Error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/60">
          {sorted.map((file) => (
            <tr key={file.reference} data-file-status={file.status}>
              <th scope="row" className="px-4 py-2 text-left font-normal">
                <div className="font-medium">{file.reference}</div>
                {file.sourceUrl ? <div className="max-w-md truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{file.sourceUrl}</div> : null}
              </th>
              <td className="px-4 py-2">
                <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[file.status]}`}>{file.status}</span>
              </td>
              <td className="px-4 py-2 tabular-nums">{formatDuration(file.durationSeconds)}</td>
              <td className="px-4 py-2 text-red-800 dark:text-red-300">{file.errorMessage ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
