import "server-only";
import crypto from "node:crypto";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { UpstreamHttpError, UpstreamUnavailableError } from "@/lib/descript/client";
import { getActor, type Actor } from "@/lib/auth/actor";
import { can, type Action } from "@/lib/auth/permissions";
import { getEnv } from "./env";
import { isStatementTimeout, STATEMENT_TIMEOUT_MS } from "./db";
import { AppError, invalidInputFromZod, type ErrorCode } from "./errors";
import { logEvent } from "./log";

/**
 * The console's own API answers problem+json; the Descript-compatible proxy answers Descript's
 * `{error, message}` so that existing Descript clients understand it.
 */
export type ErrorFormat = "problem" | "descript";

/**
 * Who may call a route: an action from lib/auth/permissions.ts, "signed-in" (any person or key:
 * their own account), or "public" (the callback endpoint, health, sign-in). Every route says which;
 * there is no default.
 */
export type Access = Action | "signed-in" | "public";

export interface RouteOptions<A extends Access> {
  format: ErrorFormat;
  access: A;
}

export interface RouteContext<Params, TActor = Actor> {
  request: NextRequest;
  params: Params;
  requestId: string;
  /** The caller, already allowed `access`; null only on public routes. */
  actor: TActor;
}

type Handler<Params, TActor> = (context: RouteContext<Params, TActor>) => Promise<Response>;
type NextHandler<Params> = (request: NextRequest, context: { params: Promise<Params> }) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Wraps a route handler: who may call it, request id, one error shape, no caching, and no stack
 * trace or secret in any answer. Anonymous callers get 401, callers whose role lacks the action 403.
 */
export function route<Params = Record<string, never>>(options: RouteOptions<"public">, handler: Handler<Params, null>): NextHandler<Params>;
export function route<Params = Record<string, never>>(options: RouteOptions<Exclude<Access, "public">>, handler: Handler<Params, Actor>): NextHandler<Params>;
export function route<Params>({ format: errorFormat, access }: RouteOptions<Access>, handler: Handler<Params, Actor> | Handler<Params, null>): NextHandler<Params> {
  // The overloads tie the actor to the access: null only reaches public handlers.
  const run = handler as Handler<Params, Actor | null>;
  return async (request: NextRequest, context: { params: Promise<Params> }): Promise<Response> => {
    const requestId = requestIdOf(request.headers.get("x-request-id"));
    try {
      if (isCrossSiteWrite(request)) {
        throw new AppError("forbidden", "Cross-site requests may not change anything here.");
      }
      const actor = access === "public" ? null : await authorize(request, access);
      const response = await run({ request, params: await context.params, requestId, actor });
      response.headers.set("x-request-id", requestId);
      // Private answers stay out of every cache (and out of the back button after sign-out).
      if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
      return response;
    } catch (error) {
      // The proxy hands Descript's own errors on untouched, so Descript clients see what they expect.
      if (error instanceof UpstreamHttpError && errorFormat === "descript") return passThrough(error, requestId);
      const appError = toAppError(error, requestId, { method: request.method, path: request.nextUrl.pathname });
      return errorResponse(appError, { errorFormat, requestId });
    }
  };
}

/**
 * Whether the caller of `request` may still do `access`, for work that outlives the request's own
 * check (a long-lived stream re-asks now and then): a revoked key or a disabled person is refused.
 */
export async function isAllowed(request: Request, access: Exclude<Access, "public">): Promise<boolean> {
  const actor = await getActor(request.headers);
  return actor !== null && permits(actor, access);
}

/** Whether `actor` may do `access`: "signed-in" asks only that there is an actor. */
function permits(actor: Actor, access: Exclude<Access, "public">): boolean {
  return access === "signed-in" || can(actor.role, access);
}

/** The caller's request id when it sent a usable one, else a new one. */
export function requestIdOf(header: string | null | undefined): string {
  return header?.slice(0, 100) || crypto.randomUUID();
}

/**
 * An answer as plain data, for the handlers that do not go through Next (the callback listener,
 * docs/decisions/0017) and the ones that do alike: `toResponse` makes it a Response.
 */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function toResponse(answer: PlainAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

async function authorize(request: NextRequest, access: Exclude<Access, "public">): Promise<Actor> {
  const actor = await getActor(request.headers);
  if (!actor) {
    throw new AppError("unauthorized", "Sign in, or send an API key as `Authorization: Bearer <key>`.", {
      headers: { "www-authenticate": 'Bearer realm="jobdeck"' },
    });
  }
  if (!permits(actor, access)) {
    throw new AppError("forbidden", `The ${actor.role} role may not do this.`);
  }
  return actor;
}

/**
 * A change sent by a browser from another site (a form or fetch that rides on the session cookie).
 * Requests with an Authorization header carry their credential themselves and are not at risk;
 * programs without one send neither header and pass (they have no cookie to abuse either).
 */
function isCrossSiteWrite(request: NextRequest): boolean {
  if (SAFE_METHODS.has(request.method) || request.headers.has("authorization")) return false;
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  return origin !== request.nextUrl.origin && origin !== new URL(getEnv().publicBaseUrl).origin;
}

const UPSTREAM_STATUS_CODES: Record<number, ErrorCode> = {
  400: "invalid_input",
  401: "upstream_error", // our token was refused: not the caller's fault
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "invalid_input",
  429: "rate_limit_exceeded",
};

/** Any error as the app reports it: known ones keep their code, anything else is logged and hidden. */
export function toAppError(error: unknown, requestId: string, request: { method: string; path: string }): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return invalidInputFromZod(error, "request");
  if (error instanceof UpstreamHttpError) {
    return new AppError(UPSTREAM_STATUS_CODES[error.status] ?? "upstream_error", error.message, { headers: error.headers });
  }
  if (error instanceof UpstreamUnavailableError) return new AppError("upstream_unavailable", error.message);
  if (isStatementTimeout(error)) {
    return new AppError("database_unavailable", `The database did not answer within ${STATEMENT_TIMEOUT_MS / 1000} s; try a narrower search.`);
  }
  logEvent("error", "unhandled_route_error", {
    requestId,
    method: request.method,
    path: request.path,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return new AppError("internal_error", "Something went wrong on our side; the request id identifies it in the logs.");
}

export function errorResponse(error: AppError, format: { errorFormat: ErrorFormat; requestId: string }): Response {
  return toResponse(errorAnswer(error, format));
}

export function errorAnswer(error: AppError, { errorFormat, requestId }: { errorFormat: ErrorFormat; requestId: string }): PlainAnswer {
  const headers: Record<string, string> = { ...error.options.headers, "x-request-id": requestId };
  if (errorFormat === "descript") {
    headers["content-type"] = "application/json";
    return { status: error.status, headers, body: JSON.stringify({ error: error.code, message: error.message }) };
  }
  headers["content-type"] = "application/problem+json";
  const body = {
    type: "about:blank",
    title: error.code.replaceAll("_", " "),
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId,
    ...(error.options.invalidParams ? { invalidParams: error.options.invalidParams } : {}),
  };
  return { status: error.status, headers, body: JSON.stringify(body) };
}

function passThrough(error: UpstreamHttpError, requestId: string): Response {
  const headers = new Headers(error.headers);
  headers.set("x-request-id", requestId);
  if (error.body === null) return new Response(null, { status: error.status, headers });
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(error.body), { status: error.status, headers });
}

/** A proxied request body: as much as the sandbox (standing in for Descript) accepts. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** Bodies being read at once, per instance: bounds the memory that unfinished bodies can hold. */
const MAX_BODIES_IN_FLIGHT = 16;
/** Deeper JSON than this is refused before it is parsed or stored (docs/decisions/0013). */
export const MAX_JSON_DEPTH = 64;

const globalForBodies = globalThis as typeof globalThis & { jobdeckBodiesInFlight?: number };

/** What readBody needs of a request, whichever server received it. */
export interface IncomingBody {
  /** The content-length header as sent, if any. */
  declaredLength: string | null;
  /** The body as it arrives (a node:http request becomes one with Readable.toWeb). */
  body: ReadableStream<Uint8Array> | null;
}

/** readBody for a route handler's Request. */
export function readBodyText(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string> {
  return readBody({ declaredLength: request.headers.get("content-length"), body: request.body }, maxBytes);
}

/**
 * Reads the raw body, refusing more than `maxBytes` without buffering the excess, and cutting a
 * body that has not arrived in full within BODY_READ_TIMEOUT_SECONDS (a trickle holds no socket).
 * When MAX_BODIES_IN_FLIGHT are already being read, answers 503 at once: the sender retries.
 */
export async function readBody({ declaredLength, body }: IncomingBody, maxBytes = MAX_JSON_BODY_BYTES): Promise<string> {
  const declared = Number(declaredLength ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!body) return "";
  const inFlight = globalForBodies.jobdeckBodiesInFlight ?? 0;
  if (inFlight >= MAX_BODIES_IN_FLIGHT) {
    throw new AppError("service_unavailable", "Too many requests are being received; please retry.", { headers: { "retry-after": "1" } });
  }
  globalForBodies.jobdeckBodiesInFlight = inFlight + 1;
  const reader = body.getReader();
  const timeoutMs = getEnv().bodyReadTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("request_timeout", `The request body did not arrive within ${timeoutMs / 1000} s.`)), timeoutMs);
  });
  try {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timedOut]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      parts.push(value);
    }
    return Buffer.concat(parts).toString("utf8");
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
    globalForBodies.jobdeckBodiesInFlight = (globalForBodies.jobdeckBodiesInFlight ?? 1) - 1;
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
}

export function parseJsonText(text: string): unknown {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) throw new AppError("invalid_input", `The request body is ${parsed.reason}.`);
  return parsed.value;
}

/** JSON.parse, refusing nesting deeper than MAX_JSON_DEPTH first (a deep body would overflow later code's stack). */
export function parseJsonSafely(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) return { ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: "not valid JSON" };
  }
}

/** One pass over the text, counting brackets outside strings. */
function exceedsJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let isInString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (isInString) {
      if (char === 0x5c) index++; // backslash: skip the escaped character
      else if (char === 0x22) isInString = false;
    } else if (char === 0x22) {
      isInString = true;
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return false;
}

export function parseSearchParams<T>(request: NextRequest, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsed.success) throw invalidInputFromZod(parsed.error, "query");
  return parsed.data;
}

export function parseParams<T>(params: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw invalidInputFromZod(parsed.error, "path");
  return parsed.data;
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { ...init, headers });
}
