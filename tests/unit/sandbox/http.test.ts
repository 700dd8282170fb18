import { describe, expect, it } from "vitest";
import { invalidInput } from "@/lib/sandbox/errors";
import { answerOrFail, parseJsonBody, type SandboxRequest } from "@/lib/sandbox/http";

function request(body: string, contentType?: string): SandboxRequest {
  const bytes = Buffer.from(body);
  return {
    method: "POST",
    url: new URL("http://sandbox.invalid/v1/jobs/agent"),
    headers: contentType === undefined ? {} : { "content-type": contentType },
    body: { bytes, size: bytes.length },
    origin: "http://127.0.0.1",
  };
}

describe("answerOrFail", () => {
  it("answers an unexpected throw with a bare 500 and reports it", async () => {
    const reported: unknown[] = [];
    const failure = new TypeError("boom");
    const response = await answerOrFail(() => {
      throw failure;
    }, (error) => reported.push(error));
    expect(response).toEqual({ status: 500, text: "Internal Server Error" });
    expect(reported).toEqual([failure]);
  });

  it("answers an ApiError in Descript's shape and reports nothing", async () => {
    const reported: unknown[] = [];
    const response = await answerOrFail(async () => {
      throw invalidInput("nope");
    }, (error) => reported.push(error));
    expect(response).toMatchObject({ status: 400, json: { error: "invalid_input", message: "nope" } });
    expect(reported).toEqual([]);
  });
});

describe("parseJsonBody", () => {
  it("parses JSON declared as application/json or a +json type", () => {
    expect(parseJsonBody(request('{"a":1}', "application/json"))).toEqual({ a: 1 });
    expect(parseJsonBody(request('{"a":1}', "application/json; charset=utf-8"))).toEqual({ a: 1 });
    expect(parseJsonBody(request('{"a":1}', "application/merge-patch+json"))).toEqual({ a: 1 });
  });

  it("reads any other body as {}, like Express's JSON parser, even malformed or oversized", () => {
    expect(parseJsonBody(request('{"a":1}', "text/plain"))).toEqual({});
    expect(parseJsonBody(request('{"a":1}'))).toEqual({});
    expect(parseJsonBody(request("{not json", "text/json"))).toEqual({});
    expect(parseJsonBody(request('{"a":1}', "application/jsonx"))).toEqual({});
  });

  it("still refuses malformed JSON declared as JSON, and reads an empty one as {}", () => {
    expect(() => parseJsonBody(request("{", "application/json"))).toThrow("Request body is not valid JSON");
    expect(parseJsonBody(request("", "application/json"))).toEqual({});
  });
});
