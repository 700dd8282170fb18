// First run: an instance on a database with nobody in it offers to create the admin, makes exactly
// one however many first-run forms arrive at once, and closes the offer for good afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppInstance, type AppInstance } from "../../support/instance";
import { ownDatabase } from "../../support/own-database";
import { appFetch } from "../../support/stack";

const { url: ownDatabaseUrl, withDatabase: withOwnDatabase } = ownDatabase("first_run");

let instance: AppInstance | undefined;

beforeAll(async () => {
  // No JOBDECK_DEMO_ADMIN: this is a deployment's first start, not the sandbox quick start.
  instance = await startAppInstance({ DATABASE_URL: ownDatabaseUrl, JOBDECK_WORKER: "off" });
}, 120_000);

afterAll(async () => {
  await instance?.terminate();
});

const onInstance = (path: string, init: RequestInit = {}) => appFetch(path, { redirect: "manual", ...init }, { as: "anonymous", instanceUrl: instance!.url });
const setup = (email: string) =>
  onInstance("/api/setup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "First", email, password: "a long first password" }) });

describe("first run", () => {
  it("sends a visitor to /setup while nobody exists, makes one admin from five forms sent at once, then sends visitors to sign in", async () => {
    const before = await onInstance("/jobs");
    expect(before.status).toBe(307);
    expect(new URL(before.headers.get("location")!, instance!.url).pathname).toBe("/setup");
    expect((await onInstance("/setup")).status).toBe(200);

    const answers = await Promise.all([1, 2, 3, 4, 5].map((index) => setup(`first${index}@example.com`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const made = (await answers.find((answer) => answer.status === 201)!.json()) as { email: string; role: string };
    expect(made.role).toBe("admin");

    const { rows } = await withOwnDatabase((db) => db.query<{ email: string; role: string }>("SELECT email, role::text AS role FROM users"));
    expect(rows).toEqual([{ email: made.email, role: "admin" }]);

    const signedIn = await onInstance("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: made.email, password: "a long first password" }),
    });
    expect(signedIn.status).toBe(200);
    const setupPage = await onInstance("/setup");
    expect(setupPage.status).toBe(307);
    expect(new URL(setupPage.headers.get("location")!, instance!.url).pathname).toBe("/sign-in");
    expect((await setup("late@example.com")).status).toBe(409);
  });
});
