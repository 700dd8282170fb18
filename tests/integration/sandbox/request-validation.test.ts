// Bad requests get Descript's 400 (or 401/404) shape, never a 500.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, TOKEN, type TestSandbox } from "./support/harness";

let sandbox: TestSandbox;
let projectId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  projectId = await sandbox.createIdleProject("validation");
});

afterAll(async () => {
  await sandbox.close();
});

async function expectInvalidInput(path: string, options: { body?: unknown; rawBody?: string; message?: string | RegExp }) {
  const { message, ...request } = options;
  const answer = await sandbox.call("POST", path, request);
  expect(answer.status, answer.text).toBe(400);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  expect(Object.keys(answer.body).sort()).toEqual(["error", "message"]);
  expect(answer.body.error).toBe("invalid_input");
  if (message !== undefined) expect(answer.body.message).toMatch(message);
}

describe("Joi-style messages", () => {
  it.each([
    ["/jobs/agent", { project_name: "p", prompt: "x", fps: 30 }, '"fps" is not allowed'],
    ["/jobs/agent", { project_name: "p" }, '"prompt" is required'],
    ["/jobs/agent", { project_name: "p", prompt: "" }, '"prompt" is not allowed to be empty'],
    ["/jobs/agent", { prompt: "x" }, '"value" must contain at least one of [project_id, project_name]'],
    ["/jobs/agent", { prompt: "x", project_name: "p", project_id: "1b4e28ba-2fa1-41d2-883f-0016d3cca427" }, '"value" contains a conflict between exclusive peers [project_id, project_name]'],
    ["/jobs/agent", { prompt: "x", project_name: "p", composition_id: "39677" }, '"composition_id" missing required peer "project_id"'],
    ["/jobs/agent", { prompt: "x", project_name: "p", team_access: "everyone" }, '"team_access" must be one of [edit, comment, view, none]'],
    ["/jobs/publish", { project_id: 42 }, '"project_id" must be a string'],
    ["/jobs/publish", {}, '"project_id" is required'],
    ["/jobs/publish", { project_id: "1b4e28ba-2fa1-41d2-883f-0016d3cca427", resolution: "8K" }, '"resolution" must be one of [480p, 720p, 1080p, 1440p, 4K]'],
    ["/jobs/publish", { project_id: "1b4e28ba-2fa1-41d2-883f-0016d3cca427", media_type: "GIF" }, '"media_type" must be one of [Video, Audio]'],
    ["/jobs/publish", { project_id: "1b4e28ba-2fa1-41d2-883f-0016d3cca427", access_level: "secret" }, '"access_level" must be one of [public, unlisted, drive, private]'],
    ["/jobs/publish", { project_id: "not-a-uuid" }, "Invalid project_id format"],
    ["/jobs/import/project_media", { add_compositions: [{ clips: [], fps: 30, frames: 1 }] }, '"add_compositions[0].frames" is not allowed'],
    ["/jobs/import/project_media", { add_media: { "a.mp4": { url: "not a url" } } }, '"add_media.a.mp4.url" must be a valid uri'],
    ["/jobs/import/project_media", { add_media: { "a.mp4": { content_type: "video/mp4", file_size: 1.5 } } }, '"add_media.a.mp4.file_size" must be an integer'],
    ["/jobs/import/project_media", { add_media: { "seq": { tracks: [] } } }, '"add_media.seq.tracks" must contain at least 1 items'],
    ["/jobs/import/project_media", { add_media: "a.mp4" }, '"add_media" must be of type object'],
    ["/jobs/import/project_media", { callback_url: "ftp://example.com/hook" }, '"callback_url" must be a valid uri'],
  ])("POST %s %j answers %s", async (path, body, message) => {
    await expectInvalidInput(path, { body, message });
  });
});

describe("bodies that are not a closed JSON object", () => {
  it.each(["/jobs/import/project_media", "/jobs/agent", "/jobs/publish"])("%s refuses malformed JSON with 400", async (path) => {
    await expectInvalidInput(path, { rawBody: '{"prompt": "x",', message: /not valid JSON/ });
  });

  it.each([["[]"], ['"text"'], ["42"], ["null"], ["true"]])("refuses the non-object body %s with 400", async (rawBody) => {
    await expectInvalidInput("/jobs/agent", { rawBody, message: '"value" must be of type object' });
  });

  it("a request target that does not parse as a URL answers 400, not 500", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(sandbox.baseUrl);
      const outgoing = httpRequest({ host: url.hostname, port: url.port, path: "http://[", headers: { authorization: `Bearer ${TOKEN}` } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      outgoing.on("error", reject);
      outgoing.end();
    });
    expect(status).toBe(400);
  });

  it("refuses a body over 1 MiB with 400", async () => {
    const prompt = "x".repeat(1024 * 1024 + 1);
    await expectInvalidInput("/jobs/agent", { body: { project_name: "big", prompt }, message: /1 MiB/ });
  });

  it("accepts a body just under the limit", async () => {
    // Within every string and count limit, the body still nears 1 MiB: ten thousand ~100-byte entries (1,027,823 bytes).
    const add_media = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, index) => [`m${index}.mp4`, { url: `https://media.example.com/${"x".repeat(45)}/${index}.mp4` }]),
    );
    const body = { project_name: "almost big", add_media };
    expect(JSON.stringify(body).length).toBeGreaterThan(1000 * 1000);
    const answer = await sandbox.call("POST", "/jobs/import/project_media", { body });
    expect(answer.status).toBe(201);
  });

  it("an empty body reads as {} and fails on the required fields", async () => {
    await expectInvalidInput("/jobs/publish", { rawBody: "", message: '"project_id" is required' });
  });

  it.each([["text/plain"], ["application/x-www-form-urlencoded"], [undefined]])(
    "a body sent as %s is not read as JSON but as {}, like Express's JSON parser does",
    async (contentType) => {
      const answer = await sandbox.call("POST", "/jobs/publish", {
        rawBody: JSON.stringify({ project_id: projectId }),
        // fetch labels a string body text/plain unless told otherwise; "" removes the header.
        headers: { "content-type": contentType ?? "" },
      });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body).toEqual({ error: "invalid_input", message: '"project_id" is required' });
    },
  );

  it("reads application/json with parameters and +json types as JSON", async () => {
    for (const contentType of ["application/json; charset=utf-8", "Application/JSON", "application/vnd.api+json"]) {
      const answer = await sandbox.call("POST", "/jobs/agent", {
        body: { project_name: "typed", prompt: "x" },
        headers: { "content-type": contentType },
      });
      expect(answer.status, contentType).toBe(201);
    }
  });

  it("a field of the wrong type on an existing project is still a 400, never a 500", async () => {
    await expectInvalidInput("/jobs/agent", { body: { project_id: projectId, prompt: ["x"] }, message: '"prompt" must be a string' });
  });
});

describe("authentication and routes", () => {
  it.each([
    ["no header", undefined],
    ["a wrong token", { authorization: "Bearer nope" }],
    ["another scheme", { authorization: `Basic ${TOKEN}` }],
    ["an empty bearer", { authorization: "Bearer " }],
  ])("answers 401 for %s", async (_case, headers) => {
    const answer = await sandbox.call("GET", "/jobs", { token: null, headers });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: "unauthorized", message: expect.any(String) });
  });

  it("accepts the whole default token, colon included, and nothing shorter or longer", async () => {
    expect(TOKEN).toContain(":");
    for (const [token, status] of [
      [TOKEN, 200],
      ["sandbox", 401],
      ["token", 401],
      ["sandbox:", 401],
      [`${TOKEN}x`, 401],
      [`${TOKEN} extra`, 401],
    ] as const) {
      expect((await sandbox.call("GET", "/status", { token })).status, token).toBe(status);
    }
  });

  it("reads the authorization header whatever its case", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(`${sandbox.baseUrl}/status`);
      const outgoing = httpRequest(url, { headers: { AUTHORIZATION: `bearer ${TOKEN}` } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      outgoing.on("error", reject);
      outgoing.end();
    });
    expect(status).toBe(200);
  });

  it("answers 404 in the not_found shape for unknown routes and methods", async () => {
    for (const [method, path] of [
      ["GET", "/nothing-here"],
      ["PATCH", "/jobs"],
      ["POST", "/jobs/import/drive_media"],
    ] as const) {
      const answer = await sandbox.call(method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body).toEqual({ error: "not_found", message: expect.any(String) });
    }
  });

  it("GET /status names the drive and the API version", async () => {
    const answer = await sandbox.call("GET", "/status");
    expect(answer.body).toEqual({ drive_id: expect.any(String), drive_name: "Sandbox Drive", api_version: "v1" });
  });
});
