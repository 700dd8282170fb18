// The sandbox: a faithful local emulator of Descript's job API over real HTTP (node:http). The app,
// every test and the demo talk to it exactly as they would talk to https://descriptapi.com/v1.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createApi, hasToken } from "./api";
import { createCallbackDispatcher } from "./callbacks";
import { createClock } from "./clock";
import { CONTROL_PREFIX, createControl } from "./control";
import { describeError } from "./errors";
import { createFaultQueue } from "./faults";
import { answerApiErrors, answerOrFail, bareResponse, readRequest, withHeaders, writeResponse, type SandboxRequest, type SandboxResponse } from "./http";
import { toJobView } from "./jobs";
import { createLifecycle } from "./lifecycle";
import { createRateLimiter } from "./rate-limit";
import { createRequestRecord } from "./requests";
import { createStore } from "./store";
import { createUploadDesk, isUploadPath } from "./uploads";

export interface SandboxOptions {
  /** The bearer token the API accepts; default DEFAULT_TOKEN. */
  token?: string;
  /** Divides every lifecycle and retry delay; default 1 (an import takes 5–20 s). */
  speed?: number;
  /** Fixed window per token; default 600 requests per 60 s. */
  rateLimit?: { limit: number; windowSeconds: number };
  /** One line per answered request, job stop and callback attempt; default: dropped. */
  log?: (line: string) => void;
  /**
   * Only what should never happen: a request answered with a bare 500 because something threw, a
   * failed timer step, a callback delivery that ended unexpectedly; default: dropped.
   */
  logError?: (line: string) => void;
}

export interface Sandbox {
  /** Port 0 picks a free port. The host defaults to 127.0.0.1. */
  listen(port: number, host?: string): Promise<{ port: number; baseUrl: string }>;
  /**
   * Stops job timers, pending callback deliveries and retries, and the server; from then on nothing
   * is scheduled any more. Requests already being answered finish first (those still unfinished
   * after CLOSE_GRACE_MS are cut); new ones answer 503.
   */
  close(): Promise<void>;
}

/** Shaped like a real Descript token, which contains a colon and must be used whole. */
export const DEFAULT_TOKEN = "sandbox:token";
const DEFAULT_RATE_LIMIT = { limit: 600, windowSeconds: 60 };
/** How long close() lets requests in progress finish, e.g. an upload whose client stalls. */
const CLOSE_GRACE_MS = 10_000;

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const speed = options.speed ?? 1;
  if (!(speed > 0 && Number.isFinite(speed))) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const log = options.log ?? (() => {});
  const logError = options.logError ?? (() => {});
  let isClosed = false;
  const clock = createClock();
  const store = createStore();
  const uploads = createUploadDesk(clock);
  const callbacks = createCallbackDispatcher({ speed, clock, log, logError });
  const lifecycle = createLifecycle({
    speed,
    clock,
    reportError: logError,
    onStop: async (job) => {
      log(`job ${job.id} ${job.state}`);
      // Bytes that arrive for an ended job change nothing, so its upload slots can go.
      uploads.forgetJob(job.id);
      if (job.callbackUrl === undefined) return;
      // Serialised once: every copy and retry carries the same body, identical to GET /jobs/{id}.
      const body = JSON.stringify(toJobView(job, clock.now()));
      const delivery = callbacks.deliver({ jobId: job.id, url: job.callbackUrl, body, plan: job.scenario.callback });
      await delivery.firstAttempted;
    },
  });
  const rateLimiter = createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT, clock);
  const faults = createFaultQueue();
  const requests = createRequestRecord();

  const token = options.token ?? DEFAULT_TOKEN;
  const answerApi = createApi({
    token,
    speed,
    clock,
    store,
    lifecycle,
    uploads,
    rateLimiter,
    faults,
    removeExpiredJobs() {
      const expired = store.removeExpiredJobs(clock.now());
      if (expired.length === 0) return;
      for (const job of expired) {
        lifecycle.forget(job);
        uploads.forgetJob(job.id);
      }
      callbacks.forgetJobs(new Set(expired.map((job) => job.id)));
    },
  });
  const answerControl = createControl({
    isAuthorized: (request) => hasToken(request, token),
    clock,
    rateLimiter,
    faults,
    callbacks,
    requests,
    resetAll() {
      requests.clear();
      lifecycle.stopAllTimers();
      callbacks.reset();
      store.clear();
      uploads.clear();
      faults.clear();
      clock.reset();
      rateLimiter.reset();
    },
  });
  const answerUpload = (request: SandboxRequest) =>
    answerApiErrors(() =>
      uploads.receive(request, (slot) => {
        const job = store.findJob(slot.jobId);
        if (job) lifecycle.receiveUpload(job, slot.ref);
      }),
    );

  const answer = (request: SandboxRequest): Promise<SandboxResponse> => {
    const { pathname } = request.url;
    if (pathname.startsWith(CONTROL_PREFIX)) return answerControl(request);
    if (isUploadPath(pathname)) return answerUpload(request);
    return answerApi(request);
  };

  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    if (isClosed) return writeResponse(res, withHeaders(bareResponse(503), { connection: "close" }));
    let requestLine = `${req.method} ${req.url}`;
    const receivedAt = Date.now();
    try {
      const response = await answerOrFail(
        async () => {
          const request = await readRequest(req);
          requestLine = `${request.method} ${request.url.pathname}${request.url.search}`;
          return answer(request);
        },
        (error) => {
          // A connection that is gone (the client left, or close() cut it) is no sandbox error.
          if (req.socket.destroyed) log(`${requestLine}: connection closed before the answer`);
          else logError(`unexpected error on ${requestLine}: ${describeError(error)}`);
        },
      );
      writeResponse(res, response);
      log(`${requestLine} ${response.status}`);
      const path = req.url ?? "/";
      if (!path.startsWith(CONTROL_PREFIX) && !isUploadPath(path.split("?")[0] ?? "")) {
        requests.add({ received_at: receivedAt, answered_at: Date.now(), method: req.method ?? "GET", path, status: response.status });
      }
    } catch (error) {
      logError(`unexpected error after answering ${requestLine}: ${describeError(error)}`);
      res.destroy();
    }
  };

  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const handling = respond(req, res).finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });

  const shutDown = async () => {
    isClosed = true;
    lifecycle.close();
    const deliveriesEnded = callbacks.close();
    // server.close() stops accepting and drops idle keep-alive connections; the requests in
    // progress finish (a #early one is released by the aborted deliveries) before the rest goes.
    const serverClosed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, CLOSE_GRACE_MS)));
    const handled = (async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    })();
    await Promise.race([handled, graceOver]);
    clearTimeout(graceTimer);
    server.closeAllConnections();
    await Promise.all([deliveriesEnded, serverClosed]);
  };
  let closing: Promise<void> | undefined;

  return {
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const urlHost = host.includes(":") ? `[${host}]` : host;
          resolve({ port: address.port, baseUrl: `http://${urlHost}:${address.port}/v1` });
        });
      });
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
