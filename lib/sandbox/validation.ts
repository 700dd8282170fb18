// Validation of the sandbox's own inputs; Descript's request schemas live in lib/descript/schemas.ts.
import type { z } from "zod";
import { parseDescriptInput } from "../descript/joi-message";
import { invalidInput } from "./errors";

/** Parses `input` or throws Descript's 400 with a Joi-style message. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = parseDescriptInput(schema, input);
  if (!parsed.success) throw invalidInput(parsed.message);
  return parsed.data as z.output<Schema>;
}
