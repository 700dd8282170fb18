// The control API under /v1/_sandbox/ (the API's bearer token, no rate limit, no injected faults):
// lets tests reset the sandbox, tighten the rate limit, inject failures, age jobs and inspect
// callbacks. It wipes state and lists callback URLs, so it asks for the token like the API does.
import { z } from "zod";
import { MAX_CLOCK_OFFSET_SECONDS, toIso, type SandboxClock } from "./clock";
import type { CallbackDispatcher } from "./callbacks";
import { ApiError, invalidInput, notFound } from "./errors";
import type { FaultQueue } from "./faults";
import {
  answerApiErrors,
  emptyResponse,
  errorResponse,
  findRoute,
  jsonResponse,
  parseJsonBody,
  type Route,
  type SandboxRequest,
  type SandboxResponse,
} from "./http";
import type { RateLimiter } from "./rate-limit";
import type { RequestRecord } from "./requests";
import { parseInput } from "./validation";

export const CONTROL_PREFIX = "/v1/_sandbox/";

export interface ControlContext {
  clock: SandboxClock;
  rateLimiter: RateLimiter;
  faults: FaultQueue;
  callbacks: CallbackDispatcher;
  /** True when the request carries the API's bearer token. */
  isAuthorized(request: SandboxRequest): boolean;
  requests: RequestRecord;
  /** Forgets jobs, projects, deliveries, faults, the clock offset and rate-limit state. */
  resetAll(): void;
}

const rateLimitBodySchema = z.strictObject({ limit: z.int().min(1), window_seconds: z.int().min(1) });
const faultBodySchema = z.strictObject({
  status: z.literal([500, 502, 503, 429, 401]),
  count: z.int().min(1).default(1),
  retry_after: z.int().min(0).optional(),
  echo_request: z.boolean().optional(),
  /** Serve the request first (a create creates its job), then answer with the status: the answer is lost. */
  after_work: z.boolean().default(false),
  /** Aim the fault at one kind of request (others pass it by), e.g. "POST" and "/jobs/import". */
  method: z.enum(["GET", "POST", "DELETE"]).optional(),
  path_prefix: z.string().startsWith("/").optional(),
});
const clockBodySchema = z.strictObject({ advance_seconds: z.number().positive().max(MAX_CLOCK_OFFSET_SECONDS) });
const callbacksQuerySchema = z.object({ job_id: z.string().min(1).optional() });
const requestsQuerySchema = z.object({ since: z.coerce.number().min(0).optional() });

const ROUTES: readonly Route<ControlContext>[] = [
  {
    method: "POST",
    pattern: /^\/v1\/_sandbox\/reset$/,
    handle(context) {
      context.resetAll();
      return emptyResponse(204);
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/_sandbox\/rate_limit$/,
    handle(context, request) {
      const body = parseInput(rateLimitBodySchema, parseJsonBody(request));
      context.rateLimiter.configure({ limit: body.limit, windowSeconds: body.window_seconds });
      return jsonResponse(200, body);
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/_sandbox\/faults$/,
    handle(context, request) {
      const body = parseInput(faultBodySchema, parseJsonBody(request));
      context.faults.add(
        {
          status: body.status,
          retryAfterSeconds: body.retry_after,
          echoRequest: body.echo_request,
          afterWork: body.after_work,
          method: body.method,
          pathPrefix: body.path_prefix,
        },
        body.count,
      );
      return jsonResponse(200, { pending: context.faults.pendingCount() });
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/_sandbox\/clock$/,
    handle(context, request) {
      const body = parseInput(clockBodySchema, parseJsonBody(request));
      // Capped in total too, so that many small steps cannot carry dates past what toIso can print.
      if (context.clock.offsetSeconds() + body.advance_seconds > MAX_CLOCK_OFFSET_SECONDS) {
        throw invalidInput(
          `"advance_seconds" would put the sandbox clock more than ${MAX_CLOCK_OFFSET_SECONDS} s (10 years) ahead; reset it first`,
        );
      }
      context.clock.advance(body.advance_seconds);
      return jsonResponse(200, { now: toIso(context.clock.now()) });
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/_sandbox\/callbacks$/,
    handle(context, request) {
      const query = parseInput(callbacksQuerySchema, Object.fromEntries(request.url.searchParams));
      return jsonResponse(200, { data: context.callbacks.listAttempts(query.job_id) });
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/_sandbox\/requests$/,
    handle(context, request) {
      const query = parseInput(requestsQuerySchema, Object.fromEntries(request.url.searchParams));
      return jsonResponse(200, { data: context.requests.list(query.since ?? 0) });
    },
  },
];

export function createControl(context: ControlContext): (request: SandboxRequest) => Promise<SandboxResponse> {
  return async (request) => {
    const match = findRoute(ROUTES, request);
    if (!context.isAuthorized(request)) {
      return errorResponse(new ApiError("unauthorized", "Missing or invalid authentication token"));
    }
    if (!match) return errorResponse(notFound(`Cannot ${request.method} ${request.url.pathname}`));
    return answerApiErrors(() => match.route.handle(context, match.request));
  };
}
