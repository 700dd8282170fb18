// The sandbox: a faithful local emulator of Descript's job API over real HTTP (node:http). The app,
// every test and the demo talk to it exactly as they would talk to https://descriptapi.com/v1.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createApi } from "./api";
import { createCallbackDispatcher } from "./callbacks";
import { createClock } from "./clock";
import { CONTROL_PREFIX, createControl } from "./control";
import { createFaultQueue } from "./faults";
import { answerApiErrors, bareResponse, readRequest, writeResponse, type SandboxRequest, type SandboxResponse } from "./http";
import { toJobView } from "./jobs";
import { createLifecycle } from "./lifecycle";
import { createRateLimiter } from "./rate-limit";
import { createStore } from "./store";
import { createUploadDesk, isUploadPath } from "./uploads";

export interface SandboxOptions {
  /** The bearer token the API accepts; default "sandbox-token". */
  token?: string;
  /** Divides every lifecycle and retry delay; default 1 (an import takes 5–20 s). */
  speed?: number;
  /** Fixed window per token; default 600 requests per 60 s. */
  rateLimit?: { limit: number; windowSeconds: number };
  log?: (line: string) => void;
}

export interface Sandbox {
  /** Port 0 picks a free port. The host defaults to 127.0.0.1. */
  listen(port: number, host?: string): Promise<{ port: number; baseUrl: string }>;
  /** Stops job timers, pending callback deliveries and retries, and the server. */
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = "sandbox-token";
const DEFAULT_RATE_LIMIT = { limit: 600, windowSeconds: 60 };

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const speed = options.speed ?? 1;
  if (!(speed > 0 && Number.isFinite(speed))) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const log = options.log ?? (() => {});
  const clock = createClock();
  const store = createStore();
  const callbacks = createCallbackDispatcher({ speed, clock, log });
  const lifecycle = createLifecycle({
    speed,
    clock,
    onStop: async (job) => {
      log(`job ${job.id} ${job.state}`);
      if (job.callbackUrl === undefined) return;
      // Serialised once: every copy and retry carries the same body, identical to GET /jobs/{id}.
      const body = JSON.stringify(toJobView(job, clock.now()));
      await callbacks.deliver({ jobId: job.id, url: job.callbackUrl, body, plan: job.scenario.callback });
    },
  });
  const rateLimiter = createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT, clock);
  const faults = createFaultQueue();
  const uploads = createUploadDesk(clock);

  const answerApi = createApi({ token: options.token ?? DEFAULT_TOKEN, speed, clock, store, lifecycle, uploads, rateLimiter, faults });
  const answerControl = createControl({
    clock,
    rateLimiter,
    faults,
    callbacks,
    resetAll() {
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
    try {
      const request = await readRequest(req);
      const response = await answer(request);
      writeResponse(res, response);
      log(`${request.method} ${request.url.pathname}${request.url.search} ${response.status}`);
    } catch (error) {
      // Anything unexpected becomes a bare 500: the stack goes to the log, never to the client.
      log(`unexpected error on ${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (res.headersSent) res.destroy();
      else writeResponse(res, bareResponse(500));
    }
  };

  const server = createServer((req, res) => void respond(req, res));

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
      lifecycle.stopAllTimers();
      callbacks.reset();
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
