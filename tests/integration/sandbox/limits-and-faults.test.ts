// The rate limit, injected faults, and the control API that sets them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type TestSandbox } from "./support/harness";

let sandbox: TestSandbox;

beforeAll(async () => {
  // The sandbox's own default rate limit (600 per 60 s), which these tests check, not the harness's.
  sandbox = await startSandbox({ rateLimit: undefined });
});

beforeEach(async () => {
  await sandbox.control("POST", "reset");
});

afterAll(async () => {
  await sandbox.close();
});

const budgetOf = (headers: Headers) => ({
  remaining: Number(headers.get("x-ratelimit-remaining")),
  consumed: Number(headers.get("x-ratelimit-consumed")),
});

describe("rate limit", () => {
  it("every authenticated response reports the remaining and consumed budget of the window", async () => {
    await sandbox.control("POST", "rate_limit", { limit: 5, window_seconds: 60 });
    const answers = [
      await sandbox.call("GET", "/status"),
      await sandbox.call("POST", "/jobs/agent", { body: { prompt: "" } }),
      await sandbox.call("GET", "/jobs/unknown-job"),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 404]);
    expect(answers.map((answer) => budgetOf(answer.headers))).toEqual([
      { remaining: 4, consumed: 1 },
      { remaining: 3, consumed: 2 },
      { remaining: 2, consumed: 3 },
    ]);
  });

  it("over the limit answers 429 with Retry-After until the window ends, then serves again", async () => {
    await sandbox.control("POST", "rate_limit", { limit: 2, window_seconds: 30 });
    await sandbox.call("GET", "/status");
    await sandbox.call("GET", "/status");
    const refused = await sandbox.call("GET", "/status");
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: "rate_limit_exceeded", message: expect.any(String) });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(budgetOf(refused.headers)).toEqual({ remaining: 0, consumed: 2 });

    await sandbox.control("POST", "clock", { advance_seconds: retryAfter });
    const served = await sandbox.call("GET", "/status");
    expect(served.status).toBe(200);
    expect(budgetOf(served.headers)).toEqual({ remaining: 1, consumed: 1 });
  });

  it("requests without a valid token and the control API do not spend the budget", async () => {
    await sandbox.control("POST", "rate_limit", { limit: 1, window_seconds: 60 });
    const unauthorized = await sandbox.call("GET", "/status", { token: "wrong" });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("x-ratelimit-remaining")).toBeNull();
    await sandbox.control("GET", "callbacks");
    expect((await sandbox.call("GET", "/status")).status).toBe(200);
  });

  it("reset restores the configured limit and forgets the window", async () => {
    await sandbox.control("POST", "rate_limit", { limit: 1, window_seconds: 60 });
    await sandbox.call("GET", "/status");
    expect((await sandbox.call("GET", "/status")).status).toBe(429);
    await sandbox.control("POST", "reset");
    expect(budgetOf((await sandbox.call("GET", "/status")).headers)).toEqual({ remaining: 599, consumed: 1 });
  });
});

describe("injected faults", () => {
  it.each([500, 502, 503])("a %i fault answers the next N API requests with a bare %i, then service resumes", async (status) => {
    const injected = await sandbox.control("POST", "faults", { status, count: 2 });
    expect(injected.status).toBe(200);
    for (let index = 0; index < 2; index += 1) {
      const answer = await sandbox.call("GET", "/status");
      expect(answer.status).toBe(status);
      expect(answer.headers.get("content-type")).not.toMatch(/json/);
    }
    expect((await sandbox.call("GET", "/status")).status).toBe(200);
  });

  it("a 429 fault answers in the rate-limit shape with the requested Retry-After", async () => {
    await sandbox.control("POST", "faults", { status: 429, count: 1, retry_after: 7 });
    const answer = await sandbox.call("POST", "/jobs/agent", { body: { project_name: "refused", prompt: "x" } });
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual({ error: "rate_limit_exceeded", message: expect.any(String) });
    expect(answer.headers.get("retry-after")).toBe("7");
    expect((await sandbox.call<{ data: unknown[] }>("GET", "/jobs")).body.data).toEqual([]);
  });

  it("faults queue up in order and spare the control API and unauthenticated requests", async () => {
    await sandbox.control("POST", "faults", { status: 503, count: 1 });
    await sandbox.control("POST", "faults", { status: 502, count: 1 });
    expect((await sandbox.control("GET", "callbacks")).status).toBe(200);
    expect((await sandbox.call("GET", "/status", { token: null })).status).toBe(401);
    expect((await sandbox.call("GET", "/status")).status).toBe(503);
    expect((await sandbox.call("GET", "/status")).status).toBe(502);
    expect((await sandbox.call("GET", "/status")).status).toBe(200);
  });
});

describe("control API", () => {
  it("refuses every control request without the API's token, so a relayed POST cannot wipe the sandbox", async () => {
    const created = await sandbox.createJob("agent", { project_name: "kept", prompt: "x" });
    for (const token of [null, "sandbox:wrong"]) {
      for (const [method, path] of [["POST", "/_sandbox/reset"], ["GET", "/_sandbox/callbacks"], ["POST", "/_sandbox/faults"]] as const) {
        const answer = await sandbox.call(method, path, { token, body: method === "POST" ? { status: 500 } : undefined });
        expect(answer.status, `${method} ${path} with ${token}`).toBe(401);
        expect(answer.body).toEqual({ error: "unauthorized", message: expect.any(String) });
      }
    }
    expect((await sandbox.getJob(created.job_id)).status).toBe(200);
  });

  it("reset forgets jobs, projects and deliveries", async () => {
    const created = await sandbox.createJob("agent", { project_name: "forgotten", prompt: "x" });
    expect((await sandbox.control("POST", "reset")).status).toBe(204);
    expect((await sandbox.getJob(created.job_id)).status).toBe(404);
    expect((await sandbox.call("POST", "/jobs/agent", { body: { project_id: created.project_id, prompt: "x" } })).status).toBe(404);
    expect((await sandbox.control("GET", "callbacks")).body).toEqual({ data: [] });
  });

  it("validates its bodies and answers 400 in Descript's shape", async () => {
    for (const [path, body] of [
      ["faults", { status: 418, count: 1 }],
      ["faults", { status: 500, count: 0 }],
      ["rate_limit", { limit: "many", window_seconds: 60 }],
      ["rate_limit", { limit: 5 }],
      ["clock", { advance_seconds: -1 }],
      ["clock", { advance_seconds: 1, rewind: true }],
      ["clock", { advance_seconds: 1e13 }],
    ] as const) {
      const answer = await sandbox.control("POST", path, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toEqual({ error: "invalid_input", message: expect.any(String) });
    }
  });

  it("moves the clock at most ten years ahead in total, and jobs keep answering", async () => {
    const tenYears = 10 * 365 * 24 * 60 * 60;
    const created = await sandbox.createJob("agent", { project_name: "far future #stall", prompt: "x" });
    expect((await sandbox.control("POST", "clock", { advance_seconds: tenYears + 1 })).status).toBe(400);
    expect((await sandbox.control("POST", "clock", { advance_seconds: tenYears / 2 })).status).toBe(200);
    expect((await sandbox.control("POST", "clock", { advance_seconds: tenYears / 2 })).status).toBe(200);
    const beyond = await sandbox.control("POST", "clock", { advance_seconds: 1 });
    expect(beyond.status).toBe(400);
    expect(beyond.body).toEqual({ error: "invalid_input", message: expect.stringContaining("10 years") });

    const fresh = await sandbox.createJob("agent", { project_name: "in the future", prompt: "x" });
    const stopped = await sandbox.waitForStop(fresh.job_id);
    expect(Date.parse(stopped.created_at)).toBeGreaterThan(Date.now() + (tenYears - 60) * 1000);
    expect((await sandbox.getJob(created.job_id)).status).toBe(404);
  });

  it("answers 404 for an unknown control route", async () => {
    expect((await sandbox.control("POST", "explode")).status).toBe(404);
  });
});
