import "server-only";
// The fast callback path (docs/decisions/0017): Descript's callbacks are answered straight from
// node:http, in front of Next, so that a callback does not pay for Next's routing, its Request and
// Response objects and its per-request work. The answer is the same function the Next route calls.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { answerCallback } from "@/lib/jobs/callbacks";
import { logEvent } from "./log";
import { requestIdOf } from "./route";

/** The callback path, one segment after it, an optional query; anything else is Next's. */
const CALLBACK_PATH = /^\/api\/callbacks\/descript\/([^/?#]+)(?:\?.*)?$/;

/**
 * Where the HTTP server in front of Next (scripts/server.mjs) finds the listener. It is handed over
 * through the process's globals because the server does not load the app's modules itself: it runs
 * the ones Next built, once, with the rest of the instance's start-up (lib/server/start.ts).
 */
export const CALLBACK_LISTENER_KEY = Symbol.for("jobdeck.callbackListener");

export type CallbackListener = (request: IncomingMessage, response: ServerResponse) => boolean;

export function registerCallbackListener(): void {
  (globalThis as Record<symbol, unknown>)[CALLBACK_LISTENER_KEY] = handleCallbackRequest;
}

/** Answers the request when it is a callback (a POST to the callback path); false leaves it to Next. */
export function handleCallbackRequest(request: IncomingMessage, response: ServerResponse): boolean {
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
