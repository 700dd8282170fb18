import "server-only";
// The front listener (docs/decisions/0017): the two hottest requests are answered straight from
// node:http, in front of Next, so that they do not pay for Next's routing, its per-request work and
// its Request and Response plumbing: Descript's callbacks, and the console's list (GET /api/jobs),
// which every open console and every API client asks for. Each answer is the very function the
// Next route calls, so the two cannot differ; everything else is Next's.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { answerCallback } from "@/lib/jobs/callbacks";
import { listJobsRoute } from "@/lib/jobs/list-route";
import { logEvent } from "./log";
import { requestIdOf } from "./route";
import securityHeaders from "./security-headers.json";

/** The callback path, one segment after it, an optional query. */
const CALLBACK_PATH = /^\/api\/callbacks\/descript\/([^/?#]+)(?:\?.*)?$/;
/** The list, an optional query. */
const JOB_LIST_PATH = /^\/api\/jobs(?:\?.*)?$/;

/**
 * Where the HTTP server in front of Next (scripts/server.mjs) finds the listener. It is handed over
 * through the process's globals because the server does not load the app's modules itself: it runs
 * the ones Next built, once, with the rest of the instance's start-up (lib/server/start.ts).
 */
export const FRONT_LISTENER_KEY = Symbol.for("jobdeck.frontListener");

/** Answers the request and returns true, or returns false and leaves it to Next. */
export type FrontListener = (request: IncomingMessage, response: ServerResponse) => boolean;

export function registerFrontListener(): void {
  (globalThis as Record<symbol, unknown>)[FRONT_LISTENER_KEY] = handleFrontRequest;
}

export const handleFrontRequest: FrontListener = (request, response) =>
  handleCallbackRequest(request, response) || handleJobListRequest(request, response);

/** Answers the request when it is a callback (a POST to the callback path); false leaves it to Next. */
function handleCallbackRequest(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== "POST") return false;
  const match = CALLBACK_PATH.exec(request.url ?? "");
  if (!match) return false;
  let token: string;
  try {
    token = decodeURIComponent(match[1]!);
  } catch {
    return false; // a malformed escape: Next answers it as it answers any bad URL
  }
  const headers = {
    get(name: string): string | null {
      const value = request.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
  answerCallback({
    token,
    headers,
    requestId: requestIdOf(headers.get("x-request-id")),
    declaredLength: headers.get("content-length"),
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
  })
    .then((answer) => response.writeHead(answer.status, { ...answer.headers, "content-length": String(Buffer.byteLength(answer.body)) }).end(answer.body))
    .catch((error: unknown) => {
      // answerCallback answers every error itself; this is a last resort, never reached by design.
      logEvent("error", "callback_listener_failed", { error: (error as Error).message });
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/problem+json" });
      response.end();
    });
  return true;
}

/** GET /api/jobs through the route's own handler, with the answer's headers as Next would add them. */
function handleJobListRequest(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method !== "GET" || !JOB_LIST_PATH.test(request.url ?? "")) return false;
  const headers = new Headers();
  for (let index = 0; index < request.rawHeaders.length; index += 2) headers.append(request.rawHeaders[index]!, request.rawHeaders[index + 1]!);
  const nextRequest = new NextRequest(new URL(request.url!, `http://${request.headers.host ?? "localhost"}`), { headers });
  listJobsRoute(nextRequest, { params: Promise.resolve({}) })
    .then(async (answer) => {
      const body = Buffer.from(await answer.arrayBuffer());
      response.writeHead(answer.status, { ...securityHeaders, ...Object.fromEntries(answer.headers), "content-length": String(body.byteLength) }).end(body);
    })
    .catch((error: unknown) => {
      // route() answers every error itself; this is a last resort, never reached by design.
      logEvent("error", "front_listener_failed", { error: (error as Error).message });
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/problem+json" });
      response.end();
    });
  return true;
}
