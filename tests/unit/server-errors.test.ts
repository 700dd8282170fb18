import { describe, expect, test } from "vitest";
import { z } from "zod";
import { AppError, ERROR_STATUS, invalidInputFromZod, type ErrorCode } from "@/lib/server/errors";

function zodErrorFor(schema: z.ZodType, input: unknown): z.ZodError {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return parsed.error;
}

describe("ERROR_STATUS", () => {
  test("an AppError takes its HTTP status from its code", () => {
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
      expect(new AppError(code, "x").status).toBe(ERROR_STATUS[code]);
    }
    expect(new AppError("invalid_input", "x").status).toBe(400);
    expect(new AppError("payload_too_large", "x").status).toBe(413);
  });

  test("every status is a client or server error", () => {
    for (const status of Object.values(ERROR_STATUS)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  test("only internal, upstream, database or load troubles are 5xx", () => {
    const serverSide = Object.entries(ERROR_STATUS)
      .filter(([, status]) => status >= 500)
      .map(([code]) => code)
      .sort();
    expect(serverSide).toEqual(["database_unavailable", "internal_error", "service_unavailable", "upstream_error", "upstream_unavailable"]);
  });
});

describe("AppError", () => {
  test.each(Object.keys(ERROR_STATUS) as ErrorCode[])("an AppError with code %s takes its status from the table", (code) => {
    const error = new AppError(code, "something happened");
    expect(error.status).toBe(ERROR_STATUS[code]);
    expect(error.code).toBe(code);
    expect(error.message).toBe("something happened");
    expect(error.name).toBe("AppError");
    expect(error).toBeInstanceOf(Error);
  });

  test("an AppError keeps the invalid params and headers it was given", () => {
    const error = new AppError("rate_limit_exceeded", "slow down", {
      headers: { "retry-after": "5" },
      invalidParams: [{ name: "limit", reason: "too big" }],
    });
    expect(error.options).toEqual({ headers: { "retry-after": "5" }, invalidParams: [{ name: "limit", reason: "too big" }] });
  });

  test("an AppError without options has empty options", () => {
    expect(new AppError("not_found", "no such job").options).toEqual({});
  });
});

describe("invalidInputFromZod", () => {
  const bodySchema = z.strictObject({
    reason: z.string().max(5),
    filters: z.object({ state: z.enum(["queued", "running"]) }),
    tags: z.array(z.string()).optional(),
  });

  test("gives a 400 invalid_input error", () => {
    const error = invalidInputFromZod(zodErrorFor(bodySchema, { reason: "x", filters: { state: "gone" } }), "body");
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("invalid_input");
    expect(error.status).toBe(400);
  });

  test("names each invalid param by its dotted path with zod's reason", () => {
    const zodError = zodErrorFor(bodySchema, { reason: "far too long", filters: { state: "gone" }, tags: ["a", 3] });
    const error = invalidInputFromZod(zodError, "body");
    expect(error.options.invalidParams).toEqual(zodError.issues.map((issue) => ({ name: issue.path.join("."), reason: issue.message })));
    expect(error.options.invalidParams!.map((param) => param.name)).toEqual(["reason", "filters.state", "tags.1"]);
  });

  test("the message is the first invalid param's name and reason", () => {
    const zodError = zodErrorFor(bodySchema, { reason: "far too long", filters: { state: "queued" } });
    const error = invalidInputFromZod(zodError, "body");
    expect(error.message).toBe(`reason: ${zodError.issues[0]!.message}`);
  });

  test("an issue about the whole input is named after where the input came from", () => {
    const error = invalidInputFromZod(zodErrorFor(bodySchema, "not an object"), "query");
    expect(error.options.invalidParams).toHaveLength(1);
    expect(error.options.invalidParams![0]!.name).toBe("query");
    expect(error.message.startsWith("query: ")).toBe(true);
  });

  test("an unknown key is reported against the object that holds it", () => {
    const error = invalidInputFromZod(zodErrorFor(bodySchema, { reason: "ok", filters: { state: "queued" }, extra: 1 }), "body");
    expect(error.options.invalidParams).toEqual([{ name: "body", reason: expect.stringContaining("extra") }]);
  });

  test("an error without issues reads invalid followed by where", () => {
    const error = invalidInputFromZod(new z.ZodError([]), "path");
    expect(error.message).toBe("invalid path");
    expect(error.options.invalidParams).toEqual([]);
    expect(error.status).toBe(400);
  });
});
