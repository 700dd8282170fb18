import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appUrl, callbackSecret, waitFor } from "../../support/stack";

const root = path.resolve(import.meta.dirname, "../../..");

/** Starts `npm run dev`'s launcher with the given variables and returns how it ended. */
function startWith(variables: Record<string, string>) {
  const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/run.ts", "dev"], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...variables } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stderrLines: result.stderr.trim().split("\n").filter(Boolean), stdout: result.stdout };
}

describe("start-up", () => {
  it.each([
    ["DATABASE_URL", { DATABASE_URL: "mysql://root@127.0.0.1/jobdeck" }],
    ["DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["DATABASE_URL", { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/unreachable" }],
    ["PORT", { PORT: "eighty" }],
    ["PORT", { PORT: "70000" }],
    ["PUBLIC_BASE_URL", { PUBLIC_BASE_URL: "ftp://example.com" }],
    ["JOB_RETENTION_DAYS", { JOB_RETENTION_DAYS: "-1" }],
    ["CALLBACK_SECRET", { DESCRIPT_API_TOKEN: "live:token" }],
  ])("stops with one line naming %s when it is bad", (variable, variables) => {
    const { code, stderrLines } = startWith(variables);
    expect(code).toBe(1);
    expect(stderrLines).toHaveLength(1);
    expect(stderrLines[0]).toContain(variable);
    expect(stderrLines[0]).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  });

  it("never echoes a secret in a configuration error", () => {
    const { stderrLines } = startWith({ DATABASE_URL: "postgresql://user:hunter2-secret@127.0.0.1:1/db" });
    expect(stderrLines.join("\n")).not.toContain("hunter2-secret");
  });
});

describe("GET /api/health", () => {
  it("answers 200 with the database ok", async () => {
    const response = await fetch(`${appUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", db: "ok", upstream: "sandbox" });
  });
});

describe("GET /api/health without a database", () => {
  it("answers 503 naming the database as the failing part", async () => {
    // The built app served by hand (no launcher) against a database that does not answer.
    const port = 3199;
    const app = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port)], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere",
        CALLBACK_SECRET: callbackSecret,
      },
      stdio: "ignore",
    });
    try {
      const answer = await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/api/health`);
          return { status: response.status, body: (await response.json()) as Record<string, unknown> };
        },
        { what: "the app to answer", timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ status: "error", db: "error", detail: expect.any(String) });
    } finally {
      app.kill("SIGTERM");
    }
  });
});

describe("migrations", () => {
  it("match prisma/schema.prisma exactly, so `npm run db:migrate` was not forgotten", () => {
    const result = spawnSync(
      path.join(root, "node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"],
      { cwd: root, env: process.env, encoding: "utf8", timeout: 60_000 },
    );
    // --exit-code: 0 no difference, 2 a difference, 1 an error.
    expect(result.stdout + result.stderr).toContain("No difference detected");
    expect(result.status).toBe(0);
  });
});
