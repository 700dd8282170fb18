// A small Descript API client written from the upstream contract alone (descript-api.md), with
// plain fetch, the way a team's existing script would be. Tests point it at the sandbox and at
// Jobdeck's /api/v1 and expect the same behaviour from both.

export interface DescriptJob {
  job_id: string;
  job_type: string;
  job_state: "queued" | "running" | "stopped" | "cancelled";
  created_at: string;
  stopped_at?: string;
  project_id?: string;
  project_url?: string;
  progress?: { label?: string; percent?: number; last_update_at?: string };
  result?: {
    status: string;
    media_status?: Record<string, { status: string; duration_seconds?: number; error_message?: string }>;
    error_message?: string;
  };
}

export class DescriptApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string } | null,
    readonly retryAfter: string | null,
  ) {
    super(`Descript API ${status}: ${body?.message ?? ""}`);
  }
}

export class PlainDescriptClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    /** The contract asks for no faster than every 3 s; tests against a fast sandbox may go quicker. */
    private readonly pollIntervalMs = 3_000,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) throw new DescriptApiError(response.status, parsed as DescriptApiError["body"], response.headers.get("retry-after"));
    return parsed as T;
  }

  importMedia(body: Record<string, unknown>) {
    return this.call<{ job_id: string; project_id: string; project_url: string; drive_id: string }>("POST", "/jobs/import/project_media", body);
  }

  agentEdit(body: Record<string, unknown>) {
    return this.call<{ job_id: string; project_id: string }>("POST", "/jobs/agent", body);
  }

  getJob(jobId: string) {
    return this.call<DescriptJob>("GET", `/jobs/${encodeURIComponent(jobId)}`);
  }

  listJobs(query: Record<string, string> = {}) {
    return this.call<{ data: DescriptJob[]; pagination: { next_cursor?: string } }>("GET", `/jobs?${new URLSearchParams(query)}`);
  }

  cancel(jobId: string) {
    return this.call<null>("DELETE", `/jobs/${encodeURIComponent(jobId)}`);
  }

  /** Polls until the job leaves queued/running, honouring Retry-After on 429. */
  async waitUntilDone(jobId: string, timeoutMs = 30_000): Promise<DescriptJob> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const job = await this.getJob(jobId);
        if (job.job_state === "stopped" || job.job_state === "cancelled") return job;
      } catch (error) {
        if (!(error instanceof DescriptApiError && error.status === 429)) throw error;
        await sleep(Number(error.retryAfter ?? 1) * 1000);
      }
      if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish in ${timeoutMs} ms`);
      await sleep(this.pollIntervalMs);
    }
  }

  async waitForState(jobId: string, state: DescriptJob["job_state"], timeoutMs = 15_000): Promise<DescriptJob> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.getJob(jobId);
      if (job.job_state === state) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} never reached ${state} (last: ${job.job_state})`);
      await sleep(this.pollIntervalMs);
    }
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
