// Descript validates with Joi and answers 400 with its message (`"fps" is not allowed`); the
// Descript-compatible proxy words zod's findings the same way so that clients see familiar text.
import type { z } from "zod";

export function joiStyleMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  const label = (path: PropertyKey[]) => `"${path.map(String).join(".") || "value"}"`;
  switch (issue.code) {
    case "unrecognized_keys":
      return `${label([...issue.path, issue.keys[0] ?? ""])} is not allowed`;
    case "invalid_type":
      if (issue.input === undefined) return `${label(issue.path)} is required`;
      return `${label(issue.path)} must be ${typeNoun(issue.expected)}`;
    case "invalid_value":
      return `${label(issue.path)} must be one of [${issue.values.map(String).join(", ")}]`;
    case "too_small":
      if (issue.origin === "string" && issue.minimum === 1) return `${label(issue.path)} is not allowed to be empty`;
      if (issue.origin === "array") return `${label(issue.path)} must contain at least ${issue.minimum} items`;
      return `${label(issue.path)} must be greater than or equal to ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `${label(issue.path)} must contain less than or equal to ${issue.maximum} items`;
      return `${label(issue.path)} must be less than or equal to ${issue.maximum}`;
    case "invalid_format":
      return `${label(issue.path)} must be a valid ${issue.format === "url" ? "uri" : issue.format}`;
    case "invalid_union":
      return `${label(issue.path)} does not match any of the allowed types`;
    default:
      return `${label(issue.path)} ${issue.message}`;
  }
}

function typeNoun(expected: string): string {
  if (expected === "object") return "of type object";
  if (expected === "array") return "an array";
  if (expected === "int") return "an integer";
  return `a ${expected}`;
}

export type DescriptParseResult<T> = { success: true; data: T } | { success: false; message: string };

/** Validates a request as Descript would, answering its Joi-style message on failure. */
export function parseDescriptInput<T>(schema: z.ZodType<T>, input: unknown): DescriptParseResult<T> {
  // reportInput lets the message tell a missing field ("is required") from a wrong one.
  const parsed = schema.safeParse(input, { reportInput: true });
  return parsed.success ? { success: true, data: parsed.data } : { success: false, message: joiStyleMessage(parsed.error) };
}
