import type { JobDetail } from "@/lib/jobs/api-types";
import { formatTime } from "./format";
import { Item } from "./parts";

export interface ReadResult {
  status: string | null;
  agentResponse: string | null;
  projectChanged: boolean | null;
  shareUrl: string | null;
  downloadUrl: string | null;
  downloadUrlExpiresAt: string | null;
}

/** Picks the fields the page shows out of upstream's result, which is read leniently. */
export function readResult(result: unknown): ReadResult {
  const value = (typeof result === "object" && result !== null ? result : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof value[key] === "string" ? (value[key] as string) : null);
  return {
    status: text("status"),
    agentResponse: text("agent_response"),
    projectChanged: typeof value.project_changed === "boolean" ? value.project_changed : null,
    shareUrl: text("share_url"),
    downloadUrl: text("download_url"),
    downloadUrlExpiresAt: text("download_url_expires_at"),
  };
}

export function JobResult({ job, result }: { job: JobDetail; result: ReadResult }) {
  if (job.result === null) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No result yet: Descript reports one when the job stops.</p>;
  }
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        {result.status ? <Item label="Status">{result.status}</Item> : null}
        {result.projectChanged !== null ? (
          <Item label="Project changed">
            {result.projectChanged ? "yes" : <strong className="font-semibold">No — nothing changed in the project</strong>}
          </Item>
        ) : null}
        {result.shareUrl ? (
          <Item label="Share URL">
            <a href={result.shareUrl} className="break-all text-indigo-700 underline dark:text-indigo-300">
              {result.shareUrl}
            </a>
          </Item>
        ) : null}
        {result.downloadUrl ? (
          <Item label="Download URL">
            <a href={result.downloadUrl} className="break-all text-indigo-700 underline dark:text-indigo-300">
              {result.downloadUrl}
            </a>
            <span className="block text-xs text-zinc-600 dark:text-zinc-400">
              {result.downloadUrlExpiresAt ? `expires ${formatTime(result.downloadUrlExpiresAt)}` : "expiry not given"}
            </span>
          </Item>
        ) : null}
      </dl>
      {result.agentResponse ? (
        <figure className="space-y-1">
          <figcaption className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Agent response</figcaption>
          <blockquote className="whitespace-pre-wrap rounded-md border border-zinc-200 bg-zinc-50 p-3 text-sm dark:border-zinc-800 dark:bg-zinc-900">
            {result.agentResponse}
          </blockquote>
        </figure>
      ) : null}
      <details>
        <summary className="cursor-pointer text-xs text-indigo-700 hover:underline dark:text-indigo-300">Raw result</summary>
        <pre className="mt-2 max-h-96 overflow-auto rounded bg-zinc-100 p-3 text-xs dark:bg-zinc-900">{JSON.stringify(job.result, null, 2)}</pre>
      </details>
    </div>
  );
}
