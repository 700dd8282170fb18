import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DescriptClient, UpstreamHttpError, UpstreamUnavailableError } from "@/lib/descript/client";

// A scripted upstream on loopback: each test says what the next requests are answered.
type Reply = (response: http.ServerResponse) => void;
let replies: Reply[] = [];
const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];
let server: http.Server;
let baseUrl: string;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (response) =>
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

const job = { job_id: "project-media-import-1", job_type: "import/project_media", job_state: "queued", created_at: "2026-01-01T00:00:00Z" };

beforeAll(async () => {
  server = http.createServer((request, response) => {
    seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization });
    request.resume();
    (replies.shift() ?? json(500, { error: "no scripted reply" }))(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  replies = [];
  seen.length = 0;
});

const client = () => new DescriptClient({ baseUrl, token: "drive:secret-token", readAttempts: 3, maxRetryDelayMs: 2_000 });

describe("the Descript client", () => {
  it("sends the token whole, colon included, as a bearer token", async () => {
    replies = [json(200, job)];
    await client().getJob("project-media-import-1");
    expect(seen[0]?.authorization).toBe("Bearer drive:secret-token");
  });

  it("retries a read after a 503 and honours a short Retry-After", async () => {
    replies = [json(503, { error: "unavailable" }), json(429, { error: "rate_limit_exceeded" }, { "retry-after": "0" }), json(200, job)];
    await expect(client().getJob("project-media-import-1")).resolves.toMatchObject({ job_state: "queued" });
    expect(seen).toHaveLength(3);
  });

  it("gives up at once when Retry-After asks for longer than a request may wait", async () => {
    replies = [json(429, { error: "rate_limit_exceeded", message: "slow down" }, { "retry-after": "60" }), json(200, job)];
    const error = await client().getJob("project-media-import-1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamHttpError);
    expect((error as UpstreamHttpError).retryAfterSeconds).toBe(60);
    expect((error as UpstreamHttpError).headers["retry-after"]).toBe("60");
    expect(seen).toHaveLength(1);
  });

  it("never retries a job-creating POST", async () => {
    replies = [json(503, { error: "unavailable" }), json(201, { job_id: "x" })];
    await expect(client().createJob("agent", { project_name: "p", prompt: "go" })).rejects.toBeInstanceOf(UpstreamHttpError);
    expect(seen).toHaveLength(1);
  });

  it("reports an answer cut off mid-body as unavailable, not as a crash", async () => {
    replies = [
      (response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        response.write('{"job_id":');
        response.socket?.destroy();
      },
    ];
    const attempts = new DescriptClient({ baseUrl, token: "t:t", readAttempts: 1 });
    await expect(attempts.getJob("x")).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it("reports an answer that breaks the contract as unavailable", async () => {
    replies = [json(200, { job_id: "x", job_state: "exploded" })];
    const once = new DescriptClient({ baseUrl, token: "t:t", readAttempts: 1 });
    await expect(once.getJob("x")).rejects.toThrow(/broke the contract/);
  });
});
