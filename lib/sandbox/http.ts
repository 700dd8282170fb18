// The plain request/response values that the sandbox's handlers work with, and the node:http edges
// that read and write them. Handlers return responses instead of writing to sockets, so a throw
// anywhere still ends in exactly one well-formed answer.
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { ApiError, invalidInput } from "./errors";

const MAX_JSON_BODY_BYTES = 1024 * 1024;

export interface SandboxRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The first MAX_JSON_BODY_BYTES of the body; `size` counts every byte that arrived. */
  body: { bytes: Buffer; size: number };
  /** scheme://host the client used to reach the sandbox, for URLs that point back at it. */
  origin: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export function jsonResponse(status: number, json: unknown): SandboxResponse {
  return { status, json };
}

export function emptyResponse(status: number): SandboxResponse {
  return { status };
}

/** Descript's 5xx bodies are unspecified: answer the status line's text, not JSON. */
export function bareResponse(status: number): SandboxResponse {
  return { status, text: STATUS_CODES[status] ?? "Error" };
}

export function errorResponse(error: ApiError): SandboxResponse {
  return withHeaders(jsonResponse(error.status, { error: error.code, message: error.message }), error.headers);
}

/** Runs a handler, turning a thrown ApiError into Descript's error response. */
export async function answerApiErrors(handle: () => SandboxResponse | Promise<SandboxResponse>): Promise<SandboxResponse> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    throw error;
  }
}

/**
 * Like answerApiErrors, but anything else thrown becomes a bare 500 (Descript's 5xx bodies are
 * unspecified) and goes to `reportUnexpected`: the stack belongs in the error log, not to the client.
 */
export async function answerOrFail(
  handle: () => SandboxResponse | Promise<SandboxResponse>,
  reportUnexpected: (error: unknown) => void,
): Promise<SandboxResponse> {
  try {
    return await answerApiErrors(handle);
  } catch (error) {
    reportUnexpected(error);
    return bareResponse(500);
  }
}

export function withHeaders(response: SandboxResponse, headers: Record<string, string>): SandboxResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}

/**
 * Reads the whole body even past the limit (keeping only the first bytes): answering before the
 * client finished sending would make many clients see a reset connection instead of our 400.
 */
export async function readRequest(req: IncomingMessage): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size < MAX_JSON_BODY_BYTES) chunks.push(chunk);
    size += chunk.length;
  }
  const host = req.headers.host ?? "127.0.0.1";
  return {
    method: req.method ?? "GET",
    url: parseRequestTarget(req.url ?? "/"),
    headers: req.headers,
    body: { bytes: Buffer.concat(chunks).subarray(0, MAX_JSON_BODY_BYTES), size },
    origin: `http://${host}`,
  };
}

/** Against a fixed base, so a malformed Host header cannot matter; a target that does not parse is a 400. */
function parseRequestTarget(target: string): URL {
  try {
    return new URL(target, "http://sandbox.invalid");
  } catch {
    throw invalidInput("The request URL is malformed");
  }
}

/**
 * Express-style (express.json()): a body that is not declared JSON (`application/json` or a
 * `+json` type) is not parsed and reads as `{}`, as does an empty one, so either fails on its
 * required fields.
 */
export function parseJsonBody(request: SandboxRequest): unknown {
  if (!isJsonContentType(request.headers["content-type"])) return {};
  if (request.body.size > MAX_JSON_BODY_BYTES) {
    throw invalidInput("Request body is larger than 1 MiB");
  }
  const text = request.body.bytes.toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidInput("Request body is not valid JSON");
  }
}

function isJsonContentType(header: string | undefined): boolean {
  const mediaType = (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^[^/\s]+\/[^/\s]+\+json$/.test(mediaType);
}

export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.json !== undefined) {
    payload = JSON.stringify(response.json);
    headers["content-type"] = "application/json; charset=utf-8";
  } else if (response.text !== undefined) {
    payload = response.text;
    headers["content-type"] = "text/plain; charset=utf-8";
  }
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** A request that matched a route; `params` are the route pattern's capture groups. */
export interface RoutedRequest extends SandboxRequest {
  params: string[];
}

export interface Route<Context> {
  method: string;
  pattern: RegExp;
  handle: (context: Context, request: RoutedRequest) => SandboxResponse | Promise<SandboxResponse>;
}

export function findRoute<Context>(
  routes: readonly Route<Context>[],
  request: SandboxRequest,
): { route: Route<Context>; request: RoutedRequest } | undefined {
  for (const route of routes) {
    const match = route.method === request.method ? route.pattern.exec(request.url.pathname) : null;
    if (match) return { route, request: { ...request, params: match.slice(1) } };
  }
  return undefined;
}
