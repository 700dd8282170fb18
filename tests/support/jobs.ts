// Shortcuts for the job-core tests: submit through the proxy, call back as Descript, read through the console API.
import type { JobDetail } from "@/lib/jobs/api-types";
import { signCallbackToken } from "@/lib/jobs/callback-token";
import { appFetch, appUrl, callbackSecret, consoleApi, waitFor, withDatabase, type As } from "./stack";

/** `instanceUrl`: another app instance than the stack's (tests/support/instance.ts). */
export async function proxyPost(path: string, body: unknown, options?: { as?: As; instanceUrl?: string }): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await appFetch(
    `/api/v1${path}`,
    { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) },
    options,
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

const callbackPath = (token: string) => `/api/callbacks/descript/${token}`;

/** The callback URL Jobdeck hands Descript for a job; `secret` other than the stack's makes a forged one. */
export function callbackUrl(localId: string, secret = callbackSecret): string {
  return `${appUrl}${callbackPath(signCallbackToken(localId, secret))}`;
}

/**
 * Posts a callback for a job as Descript would. A string body is sent as it is, so a test can send
 * what JSON.stringify never makes; `token` replaces the signed one, to post to a forged URL.
 */
export async function postCallback(localId: string, body: unknown, { token = signCallbackToken(localId, callbackSecret) }: { token?: string } = {}): Promise<{ status: number; body: Record<string, unknown> | null }> {
  const response = await appFetch(
    callbackPath(token),
    { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) },
    { as: "anonymous" },
  );
  return { status: response.status, body: await response.json().catch(() => null) };
}

export async function submitImport(projectName: string, media: Record<string, string>, extra: Record<string, unknown> = {}) {
  const add_media = Object.fromEntries(Object.entries(media).map(([reference, url]) => [reference, { url }]));
  const answer = await proxyPost("/jobs/import/project_media", { project_name: projectName, add_media, ...extra });
  if (answer.status !== 201) throw new Error(`import answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { upstreamJobId: answer.body.job_id as string, projectId: answer.body.project_id as string, localId: await localIdOf(answer.body.job_id as string) };
}

export async function localIdOf(upstreamJobId: string): Promise<string> {
  return withDatabase(async (db) => {
    const { rows } = await db.query<{ id: string }>("SELECT id FROM jobs WHERE upstream_job_id = $1", [upstreamJobId]);
    if (!rows[0]) throw new Error(`no job row for ${upstreamJobId}`);
    return rows[0].id;
  });
}

export async function getDetail(localId: string): Promise<JobDetail> {
  const { status, body } = await consoleApi<JobDetail>(`/api/jobs/${localId}`);
  if (status !== 200) throw new Error(`detail answered ${status}`);
  return body;
}

export function waitForDetail(localId: string, until: (job: JobDetail) => boolean, what: string, timeoutMs = 15_000): Promise<JobDetail> {
  return waitFor(async () => {
    const job = await getDetail(localId);
    return until(job) ? job : undefined;
  }, { what, timeoutMs });
}

export const callbackEvents = (job: JobDetail) => job.events.filter((event) => event.kind === "callback_received");
