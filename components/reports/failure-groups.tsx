import Link from "next/link";
import { formatTime } from "@/components/job-detail/format";
import type { FailedFile, FailureGroup } from "@/lib/reports/api-types";

/** Files listed at once per group; the rest are one click away, so every group fits on a screen. */
const FILES_SHOWN = 5;

/** Failed import files grouped by error message, each file with the job it belongs to. */
export function FailureGroups({ groups }: { groups: FailureGroup[] }) {
  return (
    <ol className="space-y-6" aria-label="Failure groups">
      {groups.map((group, index) => (
        <li key={group.message} className="space-y-2 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800" data-failure-group>
          <h2 id={`failure-${index}`} className="font-mono text-sm font-semibold break-words text-red-800 dark:text-red-300">
            {group.message}
          </h2>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            {group.fileCount} {group.fileCount === 1 ? "file" : "files"} in {group.jobCount} {group.jobCount === 1 ? "job" : "jobs"}, last{" "}
            {formatTime(group.lastSeenAt)}
            {group.files.length < group.fileCount ? ` (the newest ${group.files.length} listed)` : ""}
          </p>
          <FileTable files={group.files.slice(0, FILES_SHOWN)} labelledBy={`failure-${index}`} />
          {group.files.length > FILES_SHOWN ? (
            <details>
              <summary className="cursor-pointer text-sm text-indigo-700 hover:underline dark:text-indigo-300">
                Show {group.files.length - FILES_SHOWN} more
              </summary>
              <FileTable files={group.files.slice(FILES_SHOWN)} labelledBy={`failure-${index}`} />
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function FileTable({ files, labelledBy }: { files: FailedFile[]; labelledBy: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" aria-labelledby={labelledBy}>
        <thead className="text-left text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-1 pr-4">File</th>
            <th scope="col" className="py-1 pr-4">Job</th>
            <th scope="col" className="py-1 pr-4">Project</th>
            <th scope="col" className="py-1 pr-4">Outcome</th>
            <th scope="col" className="py-1">Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/60">
          {files.map((file) => (
            <tr key={`${file.jobId}/${file.reference}`}>
              <td className="py-1.5 pr-4">
                <div>{file.reference}</div>
                {file.sourceUrl ? <div className="max-w-xs truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{file.sourceUrl}</div> : null}
              </td>
              <td className="py-1.5 pr-4">
                <Link href={`/jobs/${file.jobId}`} className="font-mono text-xs text-indigo-700 underline dark:text-indigo-300">
                  {file.upstreamJobId ?? file.jobId}
                </Link>
              </td>
              <td className="py-1.5 pr-4">{file.projectName ?? file.projectId ?? "—"}</td>
              <td className="py-1.5 pr-4">{file.outcome}</td>
              <td className="py-1.5 font-mono text-xs whitespace-nowrap">{formatTime(file.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
