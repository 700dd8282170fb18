// Descript validates request bodies with Joi, so its 400s read like `"fps" is not allowed`. Both the
// sandbox (standing in for Descript) and Jobdeck's proxy validate with zod and word the first
// finding the way Joi would (Joi stops at the first error by default too).
import type { z } from "zod";

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

export function describeFirstIssue(issues: readonly Issue[]): string {
  const issue = issues[0];
  return issue ? describeIssue(issue, []) : '"value" is invalid';
}

function describeIssue(issue: Issue, parentPath: readonly PathSegment[]): string {
  const path = [...parentPath, ...issue.path];
  const label = formatLabel(path);
  switch (issue.code) {
    case "unrecognized_keys":
      return `${formatLabel([...path, issue.keys[0] ?? ""])} is not allowed`;
    case "invalid_type":
      if (issue.input === undefined) return `${label} is required`;
      return `${label} must be ${TYPE_NOUNS[issue.expected] ?? `a ${issue.expected}`}`;
    case "invalid_value":
      return `${label} must be one of [${issue.values.map(String).join(", ")}]`;
    case "too_small":
      return `${label} ${describeTooSmall(issue)}`;
    case "too_big":
      return `${label} ${describeTooBig(issue)}`;
    case "invalid_format":
      // Descript words a malformed id its own way ("Invalid project_id format"), not Joi's.
      if (issue.format === "uuid") return `Invalid ${String(path.at(-1) ?? "id")} format`;
      return `${label} ${FORMAT_PHRASES[issue.format] ?? `must be a valid ${issue.format}`}`;
    case "invalid_union":
      return describeUnion(issue, path);
    case "custom":
      // Custom checks carry their complete Joi sentence already (see schemas.ts).
      return issue.message;
    default:
      return `${label} is invalid`;
  }
}

const TYPE_NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  array: "an array",
  object: "of type object",
  record: "of type object",
};

const FORMAT_PHRASES: Record<string, string> = {
  url: "must be a valid uri",
  datetime: "must be in ISO 8601 date format",
  date: "must be in ISO 8601 date format",
};

function describeTooSmall(issue: z.core.$ZodIssueTooSmall): string {
  const minimum = String(issue.minimum);
  if (issue.origin === "string") {
    return issue.minimum === 1 ? "is not allowed to be empty" : `length must be at least ${minimum} characters long`;
  }
  if (issue.origin === "array") return `must contain at least ${minimum} items`;
  if (issue.inclusive === false) return issue.minimum === 0 ? "must be a positive number" : `must be greater than ${minimum}`;
  return `must be greater than or equal to ${minimum}`;
}

function describeTooBig(issue: z.core.$ZodIssueTooBig): string {
  const maximum = String(issue.maximum);
  if (issue.origin === "string") return `length must be less than or equal to ${maximum} characters long`;
  if (issue.origin === "array") return `must contain less than or equal to ${maximum} items`;
  if (issue.inclusive === false) return `must be less than ${maximum}`;
  return `must be less than or equal to ${maximum}`;
}

/**
 * Joi tries alternatives in order and reports on the one the value came closest to; "closest" here
 * is the alternative with the fewest findings, so `{url: "nope"}` reads as a bad uri rather than as
 * a missing `tracks`.
 */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion, path: readonly PathSegment[]): string {
  const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
  const first = closest?.[0];
  if (!first) return `${formatLabel(path)} does not match any of the allowed types`;
  return describeIssue(first, path);
}

/** Joi labels nested keys as `add_compositions[0].clips`, and the whole body as `value`. */
export function formatLabel(path: readonly PathSegment[]): string {
  if (path.length === 0) return '"value"';
  const text = path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      return index === 0 ? String(segment) : `.${String(segment)}`;
    })
    .join("");
  return `"${text}"`;
}

export type DescriptParseResult<T> = { success: true; data: T } | { success: false; message: string };

/** Validates input as Descript would, answering its Joi-style message on failure. */
export function parseDescriptInput<T>(schema: z.ZodType<T>, input: unknown): DescriptParseResult<T> {
  // reportInput lets the message tell a missing field ("is required") from a wrong one.
  const parsed = schema.safeParse(input, { reportInput: true });
  return parsed.success ? { success: true, data: parsed.data } : { success: false, message: describeFirstIssue(parsed.error.issues) };
}
