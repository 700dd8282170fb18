// Descript's error codes and the status each one travels with; every error body is {error, message}.
const STATUS_BY_CODE = {
  invalid_input: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable_entity: 422,
  rate_limit_exceeded: 429,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export class ApiError extends Error {
  readonly status: number;

  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = STATUS_BY_CODE[code];
    this.headers = options.headers ?? {};
  }
}

export function invalidInput(message: string): ApiError {
  return new ApiError("invalid_input", message);
}

export function notFound(message: string): ApiError {
  return new ApiError("not_found", message);
}

export function rateLimitExceeded(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError("rate_limit_exceeded", message, { headers: { "Retry-After": String(retryAfterSeconds) } });
}

/** For the error log: the stack when there is one, since these are the sandbox's own bugs. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
