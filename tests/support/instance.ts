// Another app instance beside the test stack's: the built app served as `npm start` serves it
// (scripts/server.mjs start) on a free port of its own, with the stack's environment and any variables a test changes (its own database
// or upstream). Stopped the way the launcher stops one (scripts/stack.ts stopChild): SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { waitFor } from "./stack";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface AppInstance {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (its log lines are JSON, one a line). */
  output(): string;
  /** The id its background worker logged on start (`worker_started`). */
  workerId(): Promise<string>;
  /** SIGTERM, then how it ended and how long that took; SIGKILL after `killAfterMs`, as the launcher does. */
  terminate(killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startAppInstance(env: Record<string, string> = {}): Promise<AppInstance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/server.mjs"), "start"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", HOSTNAME: "127.0.0.1", PORT: String(port), PUBLIC_BASE_URL: url, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const instance: AppInstance = {
    url,
    child,
    output: () => text,
    workerId: () =>
      waitFor(async () => /"event":"worker_started","workerId":"([^"]+)"/.exec(text)?.[1], { what: "the instance's worker to start", timeoutMs: 30_000, intervalMs: 100 }),
    async terminate(killAfterMs = 10_000) {
      const startedAt = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      const ended = await exited;
      clearTimeout(kill);
      return { ...ended, ms: Date.now() - startedAt };
    },
  };
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`the instance exited with ${child.exitCode}: ${text}`);
      return (await fetch(`${url}/api/health`)).ok ? true : undefined;
    }, { what: `the instance on ${url} to answer`, timeoutMs: 60_000, intervalMs: 250 });
  } catch (error) {
    await instance.terminate(0);
    throw error;
  }
  return instance;
}
