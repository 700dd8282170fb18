import "server-only";
import { z } from "zod";

/** Every error the app answers with on purpose; anything else is an internal error. */
export const ERROR_STATUS = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  request_timeout: 408,
  payload_too_large: 413,
  rate_limit_exceeded: 429,
  internal_error: 500,
  upstream_error: 502,
  upstream_unavailable: 503,
  database_unavailable: 503,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface InvalidParam {
  name: string;
  reason: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { invalidParams?: InvalidParam[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
  }
}

export function invalidInputFromZod(error: z.ZodError, where: string): AppError {
  const invalidParams = error.issues.map((issue) => ({
    name: issue.path.length ? issue.path.join(".") : where,
    reason: issue.message,
  }));
  const first = invalidParams[0];
  return new AppError("invalid_input", first ? `${first.name}: ${first.reason}` : `invalid ${where}`, { invalidParams });
}
