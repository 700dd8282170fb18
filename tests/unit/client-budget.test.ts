import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DescriptClient, UpstreamHttpError, type UpstreamBudget, type UpstreamCallKind } from "@/lib/descript/client";

const servers: Array<{ close(): void }> = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** Upstream answering each request with the next of `answers` (status, headers, body). */
async function upstream(answers: Array<[number, Record<string, string>, unknown]>): Promise<string> {
  let index = 0;
  const server = createServer((_request, response) => {
    const [status, headers, body] = answers[Math.min(index++, answers.length - 1)]!;
    response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function recordingBudget() {
  const calls: Array<string> = [];
  const budget: UpstreamBudget = {
    take: async (kind: UpstreamCallKind) => void calls.push(`take:${kind}`),
    holdBack: async (waitMs: number | null) => void calls.push(`hold:${waitMs}`),
  };
  return { budget, calls };
}

const job = { job_id: "j1", job_type: "agent", job_state: "running", created_at: "2026-01-01T00:00:00Z" };
const tooMany = { error: "rate_limit_exceeded", message: "Too many requests. Please try again later." };

describe("the Descript client with a shared budget", () => {
  it("takes a token before every try and holds everyone back for a 429's Retry-After, then X-RateLimit-Reset", async () => {
    const baseUrl = await upstream([[429, { "retry-after": "2" }, tooMany], [429, { "x-ratelimit-reset": "3" }, tooMany], [200, {}, job]]);
    const { budget, calls } = recordingBudget();
    const client = new DescriptClient({ baseUrl, token: "t", budget });
    await expect(client.getJob("j1")).resolves.toMatchObject({ job_id: "j1" });
    expect(calls).toEqual(["take:read", "hold:2000", "take:read", "hold:3000", "take:read"]);
  });

  it("never retries a create, but still holds the others back; a busy project's 429 holds nobody", async () => {
    const baseUrl = await upstream([[429, {}, tooMany], [429, { "retry-after": "5" }, { error: "rate_limit_exceeded", message: "A job is already running for this project" }]]);
    const { budget, calls } = recordingBudget();
    const client = new DescriptClient({ baseUrl, token: "t", budget });
    await expect(client.createJob("agent", { project_name: "p", prompt: "x" })).rejects.toBeInstanceOf(UpstreamHttpError);
    expect(calls).toEqual(["take:create", "hold:null"]);
    await expect(client.createJob("agent", { project_name: "p", prompt: "x" })).rejects.toMatchObject({ status: 429 });
    expect(calls).toEqual(["take:create", "hold:null", "take:create"]);
  });
});
