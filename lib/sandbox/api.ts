// The Descript-compatible API under /v1 (bearer token). Every request passes, in order: route
// lookup (404), bearer auth (401), the rate-limit window (429), injected faults, retention; then
// its handler. Everything after auth carries the X-RateLimit headers.
import { createHash, timingSafeEqual } from "node:crypto";
import { createAgentJob, createImportJob, createPublishJob, type JobCreationContext } from "./create-jobs";
import { ApiError, notFound, rateLimitExceeded } from "./errors";
import type { Fault, FaultQueue } from "./faults";
import {
  answerApiErrors,
  bareResponse,
  emptyResponse,
  errorResponse,
  findRoute,
  jsonResponse,
  withHeaders,
  type Route,
  type RoutedRequest,
  type SandboxRequest,
  type SandboxResponse,
} from "./http";
import { DRIVE, isActive, toJobView, type JobRecord } from "./jobs";
import { listJobPage } from "./listing";
import type { RateLimiter } from "./rate-limit";
import { listJobsQuerySchema } from "../descript/schemas";
import { parseInput } from "./validation";

export interface ApiContext extends JobCreationContext {
  token: string;
  rateLimiter: RateLimiter;
  faults: FaultQueue;
  /** Applies retention: drops expired jobs and everything that only they kept alive. */
  removeExpiredJobs(): void;
}

const API_VERSION = "v1";
const TOO_MANY_REQUESTS = "Too many requests. Please try again later.";

const ROUTES: readonly Route<ApiContext>[] = [
  { method: "POST", pattern: /^\/v1\/jobs\/import\/project_media$/, handle: createImportJob },
  { method: "POST", pattern: /^\/v1\/jobs\/agent$/, handle: createAgentJob },
  { method: "POST", pattern: /^\/v1\/jobs\/publish$/, handle: createPublishJob },
  { method: "GET", pattern: /^\/v1\/jobs$/, handle: listJobs },
  { method: "GET", pattern: /^\/v1\/jobs\/([^/]+)$/, handle: getJob },
  { method: "DELETE", pattern: /^\/v1\/jobs\/([^/]+)$/, handle: cancelJob },
  { method: "GET", pattern: /^\/v1\/status$/, handle: getStatus },
];

export function createApi(context: ApiContext): (request: SandboxRequest) => Promise<SandboxResponse> {
  return async (request) => {
    const match = findRoute(ROUTES, request);
    if (!match) return errorResponse(notFound(`Cannot ${request.method} ${request.url.pathname}`));
    if (!hasToken(request, context.token)) {
      return errorResponse(new ApiError("unauthorized", "Missing or invalid authentication token"));
    }
    const budget = context.rateLimiter.consume(context.token);
    const rateHeaders = {
      "X-RateLimit-Remaining": String(budget.remaining),
      "X-RateLimit-Consumed": String(budget.consumed),
    };
    if (!budget.isAllowed) {
      return withHeaders(errorResponse(rateLimitExceeded(TOO_MANY_REQUESTS, budget.retryAfterSeconds)), rateHeaders);
    }
    const fault = context.faults.take({ method: request.method, path: request.url.pathname.replace(/^\/v1/, "") });
    if (fault && !fault.afterWork) return withHeaders(answerFault(fault, request), rateHeaders);
    context.removeExpiredJobs();
    const response = await answerApiErrors(() => match.route.handle(context, match.request));
    // The work is done, but its answer is lost on the way back (a gateway gave up, say).
    if (fault?.afterWork) return withHeaders(answerFault(fault, request), rateHeaders);
    return withHeaders(response, rateHeaders);
  };
}

/**
 * `Authorization: Bearer <token>`; node lowercases header names, the scheme is matched loosely. The
 * token is everything after the scheme: a Descript token contains a colon and is used whole.
 */
function readBearerToken(request: SandboxRequest): string | undefined {
  return /^Bearer\s+(\S.*)$/i.exec(request.headers.authorization ?? "")?.[1]?.trim();
}

/** True when the request's bearer token is `expected`: the API's and the control API's one check. */
export function hasToken(request: SandboxRequest, expected: string): boolean {
  const token = readBearerToken(request);
  return token !== undefined && isSameToken(token, expected);
}

/** The whole token must match, compared in constant time (digests make the lengths equal). */
function isSameToken(given: string, expected: string): boolean {
  const digest = (token: string) => createHash("sha256").update(token).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function answerFault(fault: Fault, request: SandboxRequest): SandboxResponse {
  if (fault.echoRequest) {
    const authorization = request.headers.authorization ?? "";
    return jsonResponse(fault.status, {
      error: "unauthorized",
      message: `Rejected ${authorization}`,
      request: { headers: request.headers, body: request.body.bytes.toString("utf8") },
    });
  }
  if (fault.status === 429) {
    return errorResponse(rateLimitExceeded(TOO_MANY_REQUESTS, fault.retryAfterSeconds ?? 1));
  }
  return bareResponse(fault.status);
}

function listJobs(context: ApiContext, request: SandboxRequest): SandboxResponse {
  const query = parseInput(listJobsQuerySchema, Object.fromEntries(request.url.searchParams));
  const now = context.clock.now();
  const page = listJobPage({ jobsOldestFirst: context.store.listJobs(), query, now });
  return jsonResponse(200, {
    data: page.jobs.map((job) => toJobView(job, now)),
    pagination: page.nextCursor === undefined ? {} : { next_cursor: page.nextCursor },
  });
}

function getJob(context: ApiContext, request: RoutedRequest): SandboxResponse {
  return jsonResponse(200, toJobView(requireJob(context, request.params[0]), context.clock.now()));
}

/**
 * Cancelling a job that already stopped answers 204 and changes nothing: upstream leaves this
 * undocumented, and answering like a lost race makes clients re-read the job as they must anyway.
 */
function cancelJob(context: ApiContext, request: RoutedRequest): SandboxResponse {
  const job = requireJob(context, request.params[0]);
  if (isActive(job)) context.lifecycle.cancel(job);
  return emptyResponse(204);
}

function getStatus(): SandboxResponse {
  return jsonResponse(200, { drive_id: DRIVE.id, drive_name: DRIVE.name, api_version: API_VERSION });
}

function requireJob(context: ApiContext, rawJobId: string | undefined): JobRecord {
  const jobId = decodePathSegment(rawJobId ?? "");
  const job = context.store.findJob(jobId);
  if (!job) throw notFound(`No job found for job_id "${jobId}".`);
  return job;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
