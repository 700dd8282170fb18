// The one way Jobdeck talks to Descript (or the sandbox, which answers the same contract).
// Reads are retried with backoff, honouring Retry-After; a job-creating POST never is, because a
// blind retry can start a second paid job. With a budget, every call first takes a token from it,
// and a 429 holds back every caller sharing it (lib/descript/budget.ts).
import { z } from "zod";
import {
  CREATE_ENDPOINTS,
  createJobResponseSchema,
  jobListResponseSchema,
  statusResponseSchema,
  upstreamJobSchema,
  type CreatableJobType,
  type CreateJobResponse,
  type CreateJobRequest,
  type ListJobsQuery,
  type JobListResponse,
  type UpstreamJob,
} from "./schemas";

/** The response headers worth passing on with an upstream error. */
const PASSED_ON_HEADERS = ["retry-after", "x-ratelimit-remaining", "x-ratelimit-consumed", "x-ratelimit-reset"];

/** What a call is, for the budget: creates go before everything else. */
export type UpstreamCallKind = "create" | "read";

/** A rate budget shared by every caller (and, in Postgres, by every instance). */
export interface UpstreamBudget {
  /** Resolves when this call may be sent. */
  take(kind: UpstreamCallKind): Promise<void>;
  /** Upstream answered 429: nobody sharing the budget calls for `waitMs` (null: the budget backs off by itself). */
  holdBack(waitMs: number | null): Promise<void>;
}

/** Upstream answered with an error status. `body` is what it sent, for passing through unchanged. */
export class UpstreamHttpError extends Error {
  /** Seconds from a Retry-After header, when upstream sent one. */
  readonly retryAfterSeconds: number | null;
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`Descript answered ${status}${describeErrorBody(body)}`);
    this.name = "UpstreamHttpError";
    this.retryAfterSeconds = parseRetryAfter(headers["retry-after"] ?? null);
  }
}

/**
 * instanceof, across bundles: Next may load this module more than once (instrumentation and route
 * chunks), and the process's one client may come from another copy than the caller's.
 */
export function isUpstreamHttpError(error: unknown): error is UpstreamHttpError {
  return error instanceof Error && error.name === "UpstreamHttpError" && typeof (error as UpstreamHttpError).status === "number";
}

/** No answer at all (refused, reset, timed out), or one that breaks the contract. */
export class UpstreamUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UpstreamUnavailableError";
  }
}

export interface DescriptClientOptions {
  baseUrl: string;
  token: string;
  /** Per-request time limit. */
  timeoutMs?: number;
  /** Tries for a read, the first included. */
  readAttempts?: number;
  /** Longest wait between read tries, whatever Retry-After says. */
  maxRetryDelayMs?: number;
  /**
   * Applied to every error body before an UpstreamHttpError carries it anywhere (the app passes
   * lib/server/redact's redactUpstreamError): upstream may echo what it was sent, the token included.
   */
  redactErrorBody?: (body: unknown) => unknown;
  /** Taken before every call; without one the client only paces its own retries. */
  budget?: UpstreamBudget;
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

export class DescriptClient {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly readAttempts: number;
  private readonly maxRetryDelayMs: number;
  private readonly redactErrorBody: (body: unknown) => unknown;
  private readonly budget: UpstreamBudget | undefined;

  constructor(options: DescriptClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.readAttempts = options.readAttempts ?? 3;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    this.redactErrorBody = options.redactErrorBody ?? ((body) => body);
    this.budget = options.budget;
  }

  createJob(type: CreatableJobType, body: CreateJobRequest): Promise<CreateJobResponse> {
    return this.send({ method: "POST", path: CREATE_ENDPOINTS[type].path, body, schema: createJobResponseSchema, attempts: 1 });
  }

  getJob(jobId: string): Promise<UpstreamJob> {
    return this.send({ method: "GET", path: `/jobs/${encodeURIComponent(jobId)}`, schema: upstreamJobSchema });
  }

  listJobs(query: Partial<ListJobsQuery> = {}): Promise<JobListResponse> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const suffix = search.size ? `?${search}` : "";
    return this.send({ method: "GET", path: `/jobs${suffix}`, schema: jobListResponseSchema });
  }

  /** DELETE changes state, but repeating it cannot start anything: safe to retry like a read. */
  async cancelJob(jobId: string): Promise<void> {
    await this.send({ method: "DELETE", path: `/jobs/${encodeURIComponent(jobId)}`, schema: null });
  }

  getStatus(): Promise<z.infer<typeof statusResponseSchema>> {
    return this.send({ method: "GET", path: "/status", schema: statusResponseSchema });
  }

  private async send<T>(request: {
    method: "GET" | "POST" | "DELETE";
    path: string;
    body?: unknown;
    schema: z.ZodType<T> | null;
    attempts?: number;
  }): Promise<T> {
    const attempts = request.attempts ?? this.readAttempts;
    const kind: UpstreamCallKind = request.method === "POST" ? "create" : "read";
    for (let attempt = 1; ; attempt++) {
      try {
        await this.budget?.take(kind);
        return await this.sendOnce(request);
      } catch (error) {
        // A busy project's 429 refuses this one create, it says nothing about the rate (docs/upstream).
        const isThrottled = error instanceof UpstreamHttpError && error.status === 429 && !isBusyProjectRefusal(error);
        const retryAfterMs = error instanceof UpstreamHttpError ? throttleWaitMs(error) : null;
        // Everyone sharing the budget waits, not only this caller (creates included, never retried).
        if (isThrottled && this.budget) await this.budget.holdBack(retryAfterMs);
        const isRetryable =
          error instanceof UpstreamUnavailableError ||
          (error instanceof UpstreamHttpError && RETRYABLE_STATUSES.has(error.status));
        if (!isRetryable || attempt >= attempts) throw error;
        // Upstream asked for a longer pause than a request may wait: honour it by giving up now,
        // rather than knocking again early.
        if (retryAfterMs !== null && retryAfterMs > this.maxRetryDelayMs) throw error;
        // After a 429 the budget's hold is the wait; its next take() waits it out.
        if (isThrottled && this.budget) continue;
        await sleep(retryAfterMs ?? Math.min(backoffMs(attempt), this.maxRetryDelayMs));
      }
    }
  }

  private async sendOnce<T>(request: { method: string; path: string; body?: unknown; schema: z.ZodType<T> | null }): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: "application/json",
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
        cache: "no-store",
      });
      text = await response.text();
    } catch (error) {
      // No answer, or an answer cut off (refused, reset, timed out mid-body): nothing to pass on.
      throw new UpstreamUnavailableError(`Descript could not be reached: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const headers = Object.fromEntries(PASSED_ON_HEADERS.flatMap((name) => {
        const value = response.headers.get(name);
        return value === null ? [] : [[name, value]];
      }));
      throw new UpstreamHttpError(response.status, this.redactErrorBody(parseBody(text)), headers);
    }
    if (request.schema === null) return undefined as T;
    const parsed = request.schema.safeParse(parseBody(text));
    if (!parsed.success) {
      throw new UpstreamUnavailableError(`Descript's answer to ${request.method} ${request.path.split("?")[0]} broke the contract: ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  }
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … before jitter. */
export function backoffMs(attempt: number, baseMs = 500, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * How long upstream asked callers to wait: Retry-After first, then X-RateLimit-Reset (seconds until
 * the window resets); null when it said neither.
 */
export function throttleWaitMs(error: UpstreamHttpError): number | null {
  if (error.retryAfterSeconds !== null) return error.retryAfterSeconds * 1000;
  const reset = error.headers["x-ratelimit-reset"];
  return reset !== undefined && /^\d+$/.test(reset.trim()) ? Number(reset.trim()) * 1000 : null;
}

/** "A job is already running for this project": upstream's one-job-per-project 429. */
export function isBusyProjectRefusal(error: UpstreamHttpError): boolean {
  return /already running for this project/i.test(error.message);
}

/** Retry-After as seconds: a whole number, or an HTTP date; anything else is ignored (null). */
export function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // Date.parse accepts almost anything; only a real IMF-fixdate (RFC 9110) counts.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeErrorBody(body: unknown): string {
  const parsed = z.object({ message: z.string() }).safeParse(body);
  return parsed.success ? `: ${parsed.data.message}` : "";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
