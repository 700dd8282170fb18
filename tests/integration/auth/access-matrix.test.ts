// Every console and proxy route, asked by every role and by nobody: allowed roles get 2xx,
// the others 403 and nothing changes, anonymous callers 401 (the proxy in Descript's shape).
import { beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "@/lib/auth/permissions";
import type { JobDetail } from "@/lib/jobs/api-types";
import { getDetail, submitImport } from "../../support/jobs";
import { appFetch, uniqueName, withDatabase, type As } from "../../support/stack";

const EVERYONE: Role[] = [...ROLES];
const EDITORS_UP: Role[] = ["editor", "ops", "admin"];
const OPS_UP: Role[] = ["ops", "admin"];
const ADMIN: Role[] = ["admin"];

interface Fixture {
  /** A running job submitted by the admin's key (#stall keeps it running). */
  localId: string;
  upstreamJobId: string;
}

interface Case {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  format: "problem" | "descript";
  allowed: Role[];
  path: (fixture: Fixture) => string | Promise<string>;
  body?: (as: As) => unknown;
  /** For routes that change a job: a fresh one per allowed caller, so each has something to change. */
  freshJob?: boolean;
}

const json = (body: unknown): RequestInit => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const tag = (as: As) => (typeof as === "string" ? as : "cookie");

const CASES: Case[] = [
  { name: "list jobs", method: "GET", format: "problem", allowed: EVERYONE, path: () => "/api/jobs?limit=1" },
  { name: "a job", method: "GET", format: "problem", allowed: EVERYONE, path: (f) => `/api/jobs/${f.localId}` },
  { name: "a job's events", method: "GET", format: "problem", allowed: EVERYONE, path: (f) => `/api/jobs/${f.localId}/events` },
  { name: "failure report", method: "GET", format: "problem", allowed: EVERYONE, path: () => "/api/reports/failures" },
  { name: "usage report", method: "GET", format: "problem", allowed: EVERYONE, path: () => "/api/reports/usage" },
  { name: "status and budget", method: "GET", format: "problem", allowed: OPS_UP, path: () => "/api/status" },
  { name: "own account", method: "GET", format: "problem", allowed: EVERYONE, path: () => "/api/account" },
  { name: "people", method: "GET", format: "problem", allowed: ADMIN, path: () => "/api/people" },
  { name: "API keys", method: "GET", format: "problem", allowed: ADMIN, path: () => "/api/keys" },
  { name: "proxy: list jobs", method: "GET", format: "descript", allowed: EVERYONE, path: () => "/api/v1/jobs?limit=1" },
  { name: "proxy: a job", method: "GET", format: "descript", allowed: EVERYONE, path: (f) => `/api/v1/jobs/${f.upstreamJobId}` },
  { name: "proxy: status", method: "GET", format: "descript", allowed: EVERYONE, path: () => "/api/v1/status" },
  {
    name: "console submission",
    method: "POST",
    format: "problem",
    allowed: EDITORS_UP,
    path: () => "/api/jobs/submissions",
    body: (as) => ({ type: "import/project_media", request: { project_name: uniqueName(`matrix ${tag(as)}`), add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } } }),
  },
  {
    name: "proxy: create import",
    method: "POST",
    format: "descript",
    allowed: EDITORS_UP,
    path: () => "/api/v1/jobs/import/project_media",
    body: (as) => ({ project_name: uniqueName(`matrix ${tag(as)}`), add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } }),
  },
  { name: "cancel another's job", method: "POST", format: "problem", allowed: OPS_UP, path: (f) => `/api/jobs/${f.localId}/cancel`, body: () => ({ reason: "matrix" }), freshJob: true },
  { name: "proxy: cancel another's job", method: "DELETE", format: "descript", allowed: OPS_UP, path: (f) => `/api/v1/jobs/${f.upstreamJobId}`, freshJob: true },
  { name: "bulk cancel", method: "POST", format: "problem", allowed: OPS_UP, path: () => "/api/jobs/cancel", body: () => ({ ids: [], reason: "matrix" }), freshJob: true },
  { name: "run a sweep", method: "POST", format: "problem", allowed: OPS_UP, path: () => "/api/sweep" },
  {
    name: "add a person",
    method: "POST",
    format: "problem",
    allowed: ADMIN,
    path: () => "/api/people",
    body: (as) => ({ name: "Matrix", email: `matrix-${tag(as)}-${Date.now()}@jobdeck.test`, password: "a long enough password", role: "viewer" }),
  },
  { name: "create a key", method: "POST", format: "problem", allowed: ADMIN, path: () => "/api/keys", body: (as) => ({ name: `matrix-${tag(as)}`, role: "viewer" }) },
];

async function stalledJob(): Promise<Fixture> {
  const { localId, upstreamJobId } = await submitImport(uniqueName("matrix #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
  return { localId, upstreamJobId };
}

async function call(testCase: Case, fixture: Fixture, as: As): Promise<Response> {
  let body = testCase.body?.(as);
  // Bulk cancel names the fixture job.
  if (testCase.name === "bulk cancel") body = { ids: [fixture.localId], reason: "matrix" };
  return appFetch(await testCase.path(fixture), { method: testCase.method, ...(body === undefined ? {} : json(body)) }, { as });
}

async function expectRefused(response: Response, status: 401 | 403, format: Case["format"]) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  if (format === "descript") expect(body).toEqual({ error: status === 401 ? "unauthorized" : "forbidden", message: expect.any(String) });
  else expect(body).toMatchObject({ status, code: status === 401 ? "unauthorized" : "forbidden" });
}

/** What a refused request must leave as it was: the job's state and timeline, and the counts of people, keys and jobs. */
async function snapshot(localId: string) {
  const job: JobDetail = await getDetail(localId);
  const counts = await withDatabase(async (db) => (await db.query("SELECT (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM api_keys) AS keys, (SELECT count(*) FROM sweep_runs) AS sweeps")).rows[0]);
  return { state: job.state === "running" ? "active" : job.state === "queued" ? "active" : job.state, events: job.events.filter((event) => event.kind === "cancel_requested").length, counts };
}

describe("who may call what", () => {
  let shared: Fixture;
  beforeAll(async () => {
    shared = await stalledJob();
  });

  for (const testCase of CASES) {
    describe(`${testCase.method} ${testCase.name}`, () => {
      it("answers anonymous callers 401 and changes nothing", async () => {
        const before = await snapshot(shared.localId);
        await expectRefused(await call(testCase, shared, "anonymous"), 401, testCase.format);
        expect(await snapshot(shared.localId)).toEqual(before);
      });

      for (const role of ROLES.filter((role) => !testCase.allowed.includes(role))) {
        it(`refuses ${role} with 403 and changes nothing`, async () => {
          const before = await snapshot(shared.localId);
          await expectRefused(await call(testCase, shared, role), 403, testCase.format);
          expect(await snapshot(shared.localId)).toEqual(before);
        });
      }

      for (const role of testCase.allowed) {
        it(`allows ${role}`, async () => {
          const fixture = testCase.freshJob ? await stalledJob() : shared;
          const response = await call(testCase, fixture, role);
          expect(response.status, await response.clone().text()).toBeGreaterThanOrEqual(200);
          expect(response.status).toBeLessThan(300);
          expect(response.headers.get("cache-control")).toBe("no-store");
          await response.body?.cancel();
        });
      }
    });
  }

  it("streams job changes to every role, and to nobody anonymous", async () => {
    for (const as of [...ROLES, "anonymous"] as const) {
      const abort = new AbortController();
      const response = await appFetch("/api/jobs/changes", { signal: abort.signal }, { as });
      expect(response.status, as).toBe(as === "anonymous" ? 401 : 200);
      abort.abort();
    }
  });

  it("lets re-import only to those who may submit", async () => {
    const missing = "/api/jobs/00000000-0000-4000-8000-000000000000/reimport";
    expect((await appFetch(missing, { method: "POST" }, { as: "anonymous" })).status).toBe(401);
    expect((await appFetch(missing, { method: "POST" }, { as: "viewer" })).status).toBe(403);
    expect((await appFetch(missing, { method: "POST" }, { as: "editor" })).status).toBe(404);
  });

  it("lets an editor cancel their own job, with who and why on its timeline", async () => {
    const created = await appFetch(
      "/api/v1/jobs/import/project_media",
      { method: "POST", ...json({ project_name: uniqueName("own #stall"), add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } }) },
      { as: "editor" },
    );
    expect(created.status).toBe(201);
    const { job_id: upstreamJobId } = (await created.json()) as { job_id: string };
    const job = await getDetail(upstreamJobId);
    expect(job).toMatchObject({ submittedBy: "key:test-editor", submitterId: expect.stringMatching(/^key:/) });
    const cancelled = await appFetch(`/api/jobs/${job.id}/cancel`, { method: "POST", ...json({ reason: "wrong file" }) }, { as: "editor" });
    expect(cancelled.status).toBe(200);
    const detail = (await cancelled.json()) as JobDetail;
    expect(detail.events.find((event) => event.kind === "cancel_requested")?.message).toBe("by key:test-editor (editor): wrong file");
  });
});
