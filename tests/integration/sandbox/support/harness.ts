// Test harness: a sandbox on an ephemeral port, a callback receiver on another, and polling
// helpers that wait for a condition with a deadline instead of sleeping.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { createSandbox, type SandboxOptions } from "@/lib/sandbox/server";

/** Written out, not imported: a test must notice if the sandbox's default token changes shape. */
export const TOKEN = "sandbox:token";
/** The harness's default: far more than any test sends, so only the rate-limit tests ever see a 429. */
export const GENEROUS_RATE_LIMIT = { limit: 1_000_000, windowSeconds: 60 };

export interface JobBody {
  job_id: string;
  job_type: string;
  job_state: "queued" | "running" | "stopped" | "cancelled";
  created_at: string;
  stopped_at?: string;
  drive_id: string;
  project_id: string;
  project_url: string;
  progress?: { label: string; percent: number; last_update_at: string };
  result?: { status: string; [key: string]: unknown };
}

export interface CreatedJobBody {
  job_id: string;
  drive_id: string;
  drive_name?: string;
  project_id: string;
  project_url: string;
  upload_urls?: Record<string, { upload_url: string; asset_id: string; artifact_id: string }>;
  resolved_model?: string;
  conversation_id?: string;
}

export interface ErrorBody {
  error: string;
  message: string;
}

export interface Answer<Body> {
  status: number;
  headers: Headers;
  text: string;
  body: Body;
}

export interface CallOptions {
  /** A JSON value to send, or a raw string sent as is. */
  body?: unknown;
  rawBody?: string;
  /** null sends no authorization header at all. */
  token?: string | null;
  headers?: Record<string, string>;
}

export type TestSandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * A sandbox at speed 1000 with a generous rate limit; pass `rateLimit: undefined` for the sandbox's
 * own default. `logs` and `errors` collect what it reports through `log` and `logError` (also
 * forwarded to the options' own). Unless the test passes its own `logError`, close() fails when
 * the sandbox reported an unexpected error.
 */
export async function startSandbox(options: SandboxOptions = {}) {
  const logs: string[] = [];
  const errors: string[] = [];
  const sandbox = createSandbox({
    speed: 1000,
    rateLimit: GENEROUS_RATE_LIMIT,
    ...options,
    log: (line) => {
      logs.push(line);
      options.log?.(line);
    },
    logError: (line) => {
      errors.push(line);
      options.logError?.(line);
    },
  });
  const { baseUrl } = await sandbox.listen(0);

  async function call<Body = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}): Promise<Answer<Body>> {
    const token = options.token === undefined ? TOKEN : options.token;
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(payload !== undefined && { "content-type": "application/json" }),
        ...(token !== null && { authorization: `Bearer ${token}` }),
        ...options.headers,
      },
      body: payload,
    });
    const text = await response.text();
    const isJson = response.headers.get("content-type")?.startsWith("application/json") ?? false;
    return { status: response.status, headers: response.headers, text, body: (isJson ? JSON.parse(text) : undefined) as Body };
  }

  const control = <Body = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    call<Body>(method, `/_sandbox/${path}`, { body });

  const getJob = (jobId: string) => call<JobBody>("GET", `/jobs/${jobId}`);

  async function createJob(path: "import/project_media" | "agent" | "publish", body: unknown): Promise<CreatedJobBody> {
    const answer = await call<CreatedJobBody>("POST", `/jobs/${path}`, { body });
    if (answer.status !== 201) throw new Error(`POST /jobs/${path} answered ${answer.status}: ${answer.text}`);
    return answer.body;
  }

  /**
   * Polls GET /jobs/{id} until `accept` holds for the job. A 404 means "not yet"; any other status
   * (a 429 included) is a failure of the test, not something to wait out.
   */
  function waitForJob(jobId: string, accept: (job: JobBody) => boolean, description = "the job"): Promise<JobBody> {
    return waitFor(async () => {
      const answer = await getJob(jobId);
      if (answer.status !== 200 && answer.status !== 404) {
        throw new Error(`GET /jobs/${jobId} answered ${answer.status} while waiting for ${description}: ${answer.text}`);
      }
      return answer.status === 200 && accept(answer.body) ? answer.body : undefined;
    }, { description });
  }

  const waitForStop = (jobId: string) => waitForJob(jobId, (job) => job.job_state === "stopped", `${jobId} to stop`);

  /** A new project (created by a quick import) that is idle again. */
  async function createIdleProject(name = "fixture project"): Promise<string> {
    const created = await createJob("import/project_media", { project_name: name });
    await waitForStop(created.job_id);
    return created.project_id;
  }

  async function close() {
    await sandbox.close();
    if (options.logError === undefined && errors.length > 0) {
      throw new Error(`the sandbox reported unexpected errors:\n${errors.join("\n")}`);
    }
  }

  return { sandbox, baseUrl, logs, errors, call, control, getJob, createJob, waitForJob, waitForStop, createIdleProject, close };
}

export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  body: JobBody;
}

/**
 * A node:http server that records every callback. `answerWith` picks the status per request, e.g.
 * to make a path fail a few times before it succeeds; a promise holds the answer until it settles.
 */
export async function startCallbackReceiver() {
  const received: ReceivedCallback[] = [];
  let answerWith: (callback: ReceivedCallback, countOnPath: number) => number | Promise<number> = () => 200;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const callback = {
        path: req.url ?? "/",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as JobBody,
      };
      received.push(callback);
      const countOnPath = received.filter((other) => other.path === callback.path).length;
      void Promise.resolve(answerWith(callback, countOnPath)).then(
        (status) => res.writeHead(status).end(),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path = "/callbacks") => `http://127.0.0.1:${port}${path}`,
    received,
    forJob: (jobId: string) => received.filter((callback) => callback.body.job_id === jobId),
    answerWith(choose: typeof answerWith) {
      answerWith = choose;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after the deadline. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  options: { description?: string; timeoutMs?: number } = {},
): Promise<T> {
  const { description = "the condition", timeoutMs = 10_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type CallbackReceiver = Awaited<ReturnType<typeof startCallbackReceiver>>;

/**
 * One sandbox and one callback receiver for a whole test file, stopped after it. `assign` hands
 * them to the file's own variables once they run.
 */
export function setUpSandboxAndReceiver(assign: (started: { sandbox: TestSandbox; receiver: CallbackReceiver }) => void): void {
  let started: { sandbox: TestSandbox; receiver: CallbackReceiver } | undefined;
  beforeAll(async () => {
    started = { sandbox: await startSandbox(), receiver: await startCallbackReceiver() };
    assign(started);
  });
  afterAll(async () => {
    await started?.sandbox.close();
    await started?.receiver.close();
  });
}
