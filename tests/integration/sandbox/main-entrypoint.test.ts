// `npm run sandbox` (lib/sandbox/main.ts): configuration from the environment, the ready line, and
// a clean shutdown on SIGTERM/SIGINT.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "./support/harness";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const TSX = path.join(repoRoot, "node_modules/.bin/tsx");

const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function startMain(environment: Record<string, string>) {
  const child = spawn(TSX, ["lib/sandbox/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, SANDBOX_PORT: "", SANDBOX_TOKEN: "", SANDBOX_SPEED: "", ...environment },
  });
  children.push(child);
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output, exited };
}

describe("the sandbox entrypoint", () => {
  it("listens on the configured port with the configured token and stops cleanly on SIGTERM", async () => {
    const main = startMain({ SANDBOX_PORT: "0", SANDBOX_TOKEN: "entry-token", SANDBOX_SPEED: "1000" });
    const baseUrl = await waitFor(
      () => /^sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/m.exec(main.output.stdout)?.[1],
      { description: "the ready line", timeoutMs: 20_000 },
    );
    const answer = await fetch(`${baseUrl}/status`, { headers: { authorization: "Bearer entry-token" } });
    expect(answer.status).toBe(200);
    expect((await fetch(`${baseUrl}/status`, { headers: { authorization: "Bearer sandbox:token" } })).status).toBe(401);

    main.child.kill("SIGTERM");
    expect(await main.exited).toBe(0);
  });

  it("accepts the default token and logs requests to stdout, keeping stderr for unexpected errors", async () => {
    const main = startMain({ SANDBOX_PORT: "0", SANDBOX_SPEED: "1000" });
    const baseUrl = await waitFor(
      () => /^sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/m.exec(main.output.stdout)?.[1],
      { description: "the ready line", timeoutMs: 20_000 },
    );
    expect((await fetch(`${baseUrl}/status`, { headers: { authorization: "Bearer sandbox:token" } })).status).toBe(200);
    await waitFor(() => (main.output.stdout.includes("GET /v1/status 200") ? true : undefined), { description: "the request line" });

    main.child.kill("SIGINT");
    expect(await main.exited).toBe(0);
    expect(main.output.stderr).toBe("");
  });

  it.each([
    ["SANDBOX_PORT", "70000"],
    ["SANDBOX_SPEED", "fast"],
  ])("refuses %s=%s with one line naming the variable and exit code 1", async (name, value) => {
    const main = startMain({ [name]: value });
    expect(await main.exited).toBe(1);
    const lines = main.output.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(main.output.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
