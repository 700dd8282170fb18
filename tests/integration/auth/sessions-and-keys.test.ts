// Sign-in, sessions, keys and the guards around them, over real HTTP against the built app.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { JobDetail } from "@/lib/jobs/api-types";
import { getDetail, submitImport } from "../../support/jobs";
import { appFetch, appLogFile, appUrl, credentials, signIn, uniqueName, waitFor, withDatabase } from "../../support/stack";

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

async function newPerson(role: "viewer" | "editor" | "ops" | "admin") {
  const email = `${uniqueName(role).replace(/\W+/g, "-")}@jobdeck.test`.toLowerCase();
  const password = `pw-${Math.random().toString(36).slice(2)}-long-enough`;
  const created = await appFetch("/api/people", json({ name: "Someone", email, password, role }));
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  return { id, email, password };
}

function signInAs(person: { email: string; password: string }, headers: Record<string, string> = {}) {
  return appFetch("/api/auth/sign-in/email", json({ email: person.email, password: person.password }, headers), { as: "anonymous" });
}

const cookieOf = (response: Response) => response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]).join("; ");

describe("sign-in and sessions", () => {
  it("sets an httpOnly SameSite session cookie and answers no token in the body", async () => {
    const person = await newPerson("viewer");
    const answer = await signInAs(person);
    expect(answer.status).toBe(200);
    const setCookie = answer.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/jobdeck\.session_token=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const token = /jobdeck\.session_token=([^;.]+)/.exec(setCookie)?.[1];
    expect(token).toBeTruthy();
    expect(await answer.text()).not.toContain(token!);
    const account = await appFetch("/api/account", {}, { as: { cookie: cookieOf(answer) } });
    expect(await account.json()).toMatchObject({ kind: "user", email: person.email, role: "viewer" });
  });

  it("throttles a wrong password, repeated: even the right one waits", async () => {
    const person = await newPerson("viewer");
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await signInAs({ ...person, password: "not the password at all" });
      expect(wrong.status).toBe(401);
    }
    const throttled = await signInAs(person);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(throttled.headers.getSetCookie()).toEqual([]);
  });

  it("lists a person's sessions without tokens and revokes one at once; sign-out ends the current one", async () => {
    const person = await newPerson("editor");
    const first = cookieOf(await signInAs(person));
    const second = cookieOf(await signInAs(person));
    const listed = await appFetch("/api/account/sessions", {}, { as: { cookie: first } });
    const { sessions } = (await listed.json()) as { sessions: Array<{ id: string; isCurrent: boolean }> };
    expect(sessions).toHaveLength(2);
    expect(JSON.stringify(sessions)).not.toContain(second.split("=")[1]!.split(".")[0]!);
    const other = sessions.find((session) => !session.isCurrent)!;
    expect((await appFetch(`/api/account/sessions/${other.id}`, { method: "DELETE" }, { as: { cookie: first } })).status).toBe(204);
    expect((await appFetch("/api/account", {}, { as: { cookie: second } })).status).toBe(401);
    expect((await appFetch("/api/account", {}, { as: { cookie: first } })).status).toBe(200);
    const signedOut = await appFetch("/api/auth/sign-out", json({}), { as: { cookie: first } });
    expect(signedOut.status).toBe(200);
    expect((await appFetch("/api/account", {}, { as: { cookie: first } })).status).toBe(401);
  });

  it("ends a disabled person's sessions and refuses their sign-in", async () => {
    const person = await newPerson("ops");
    const cookie = cookieOf(await signInAs(person));
    const disabled = await appFetch(`/api/people/${person.id}`, { ...json({ disabled: true }), method: "PATCH" });
    expect(disabled.status).toBe(200);
    expect((await appFetch("/api/account", {}, { as: { cookie } })).status).toBe(401);
    expect((await signInAs(person)).status).toBe(401);
  });

  it("refuses a cross-site POST that carries a valid session cookie, and changes nothing", async () => {
    const { localId } = await submitImport(uniqueName("cross-site #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const cookie = await signIn("ops");
    const forged = await appFetch(
      `/api/jobs/${localId}/cancel`,
      json({ reason: "csrf" }, { origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
      { as: { cookie } },
    );
    expect(forged.status).toBe(403);
    const originOnly = await appFetch(`/api/jobs/${localId}/cancel`, json({ reason: "csrf" }, { origin: "https://evil.example" }), { as: { cookie } });
    expect(originOnly.status).toBe(403);
    const job: JobDetail = await getDetail(localId);
    expect(job.events.some((event) => event.kind === "cancel_requested")).toBe(false);
    // The same request from the console's own origin goes through.
    const sameOrigin = await appFetch(`/api/jobs/${localId}/cancel`, json({ reason: "ours" }, { origin: appUrl, "sec-fetch-site": "same-origin" }), { as: { cookie } });
    expect(sameOrigin.status).toBe(200);
  });
});

describe("API keys", () => {
  it("shows a new key once, records its last use, and a revoked key fails on its next request", async () => {
    const created = await appFetch("/api/keys", json({ name: uniqueName("ci"), role: "editor" }));
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect(key).toMatch(/^jdk_/);
    const bearer = { authorization: `Bearer ${key}` };
    expect((await appFetch("/api/v1/jobs?limit=1", { headers: bearer }, { as: "anonymous" })).status).toBe(200);
    const listed = (await (await appFetch("/api/keys")).json()) as { keys: Array<{ id: string; lastUsedAt: string | null }> };
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed.keys.find((row) => row.id === id)?.lastUsedAt).not.toBeNull();
    expect((await appFetch(`/api/keys/${id}`, { method: "DELETE" })).status).toBe(200);
    const refused = await appFetch("/api/v1/jobs?limit=1", { headers: bearer }, { as: "anonymous" });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: "unauthorized", message: expect.any(String) });
  });

  it("a key revoked outside the instance that knows it (another instance, `npm run keys`, psql) fails once the revocation commits", async () => {
    const created = await appFetch("/api/keys", json({ name: uniqueName("elsewhere"), role: "viewer" }));
    const { id, key } = (await created.json()) as { id: string; key: string };
    const asKey = () => appFetch("/api/jobs?limit=1", { headers: { authorization: `Bearer ${key}` } }, { as: "anonymous" });
    // Used twice: the instance now keeps the key in memory (lib/auth/keys.ts).
    expect((await asKey()).status).toBe(200);
    expect((await asKey()).status).toBe(200);
    await withDatabase((db) => db.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [id]));
    const refused = await waitFor(async () => ((await asKey()).status === 401 ? true : undefined), { timeoutMs: 5_000, what: "the revoked key refused" });
    expect(refused).toBe(true);
  });

  it("`npm run keys -- create` beside the running app prints a working key alone on its last line", async () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    // Not spawnSync: a blocked event loop would miss the app closing idle keep-alive sockets.
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "keys", "--", "create", "--name", uniqueName("script").replace(/\W+/g, "-"), "--role", "viewer"], {
      cwd: root,
      env: process.env,
      timeout: 60_000,
    });
    const key = stdout.trim().split("\n").at(-1)!;
    expect(key).toMatch(/^jdk_[A-Za-z0-9_-]{40,}$/);
    const answer = await appFetch("/api/v1/jobs?limit=1", { headers: { authorization: `Bearer ${key}` } }, { as: "anonymous" });
    expect(answer.status).toBe(200);
  }, 60_000);

  it("names the key as submitter, and keeps only its hash", async () => {
    const answer = await appFetch("/api/v1/jobs/import/project_media", json({ project_name: uniqueName("by key"), add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } }), { as: "ops" });
    expect(answer.status).toBe(201);
    const { job_id } = (await answer.json()) as { job_id: string };
    expect(await getDetail(job_id)).toMatchObject({ submittedBy: "key:test-ops" });
    const stored = await withDatabase(async (db) => JSON.stringify((await db.query("SELECT * FROM api_keys")).rows));
    expect(stored).not.toContain(credentials.keys.ops);
  });
});

describe("secrets of people and programs", () => {
  it("no password, session token or API key in a log line, a job's history or an answer", async () => {
    const person = await newPerson("editor");
    const signedIn = await signInAs(person);
    const cookie = cookieOf(signedIn);
    const sessionToken = /jobdeck\.session_token=([^;.]+)/.exec(cookie)?.[1] ?? "";
    expect(sessionToken.length).toBeGreaterThan(10);
    // A failed sign-in with the password in the body, a submission and a cancel by cookie, a bad key.
    await signInAs({ ...person, password: `${person.password}-wrong` });
    const submitted = await appFetch(
      "/api/jobs/submissions",
      json({ type: "import/project_media", request: { project_name: uniqueName("secrets #stall"), add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } } }, { origin: appUrl }),
      { as: { cookie } },
    );
    expect(submitted.status).toBe(201);
    const { jobId } = (await submitted.json()) as { jobId: string };
    const cancelled = await appFetch(`/api/jobs/${jobId}/cancel`, json({ reason: "mine" }, { origin: appUrl }), { as: { cookie } });
    expect(cancelled.status).toBe(200);
    const answers = [await cancelled.text(), await (await appFetch(`/api/jobs/${jobId}`, {}, { as: { cookie } })).text(), await (await appFetch("/api/account/sessions", {}, { as: { cookie } })).text()];
    await appFetch("/api/jobs", { headers: { authorization: `Bearer ${credentials.keys.viewer}x` } }, { as: "anonymous" });

    const history = await withDatabase(async (db) => JSON.stringify((await db.query("SELECT j.*, e.* FROM jobs j JOIN job_events e ON e.job_id = j.id WHERE j.id = $1", [jobId])).rows));
    expect(history).toContain(person.email);
    const logs = appLogFile && fs.existsSync(appLogFile) ? fs.readFileSync(appLogFile, "utf8") : null;
    expect(logs, "the app's log file (JOBDECK_APP_LOG) must exist to be checked").not.toBeNull();
    expect(logs).toContain("sign_in_failed");
    for (const secret of [person.password, sessionToken, ...Object.values(credentials.keys), ...Object.values(credentials.users).map((user) => user.password)]) {
      expect(logs).not.toContain(secret);
      expect(history).not.toContain(secret);
      for (const answer of answers) expect(answer).not.toContain(secret);
    }
  });

  it("puts the security headers on pages and API answers", async () => {
    const page = await appFetch("/sign-in", {}, { as: "anonymous" });
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(await page.text()).toContain(`nonce="${nonce}"`);
    for (const response of [page, await appFetch("/api/jobs?limit=1")]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });
});
