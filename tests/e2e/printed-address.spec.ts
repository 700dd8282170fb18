// What a new user does: run `npm run dev` or `npm start`, open the address the launcher prints, and
// expect the console to work there (Next's dev server once refused its scripts to 127.0.0.1).
import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { testCredentials } from "./support";

// The demo admin the launcher creates in sandbox mode signs in with this.
const DEMO_PASSWORD = `demo-${Date.now().toString(36)}-password`;

// A person arriving fresh, not the admin the other specs are signed in as.
test.use({ storageState: { cookies: [], origins: [] } });

const testPort = Number(process.env.PORT ?? 3100);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4110);

const MODES = [
  { command: "dev", port: testPort + 90, sandboxPort: sandboxPort + 150 },
  { command: "start", port: testPort + 91, sandboxPort: sandboxPort + 151 },
] as const;

type Launcher = ReturnType<typeof launch>;
let running: Launcher | undefined;

// Here, not in the test's own finally: a test that times out is abandoned, and its launcher with it.
test.afterEach(async () => {
  await running?.stop();
  running = undefined;
});

for (const mode of MODES) {
  test(`npm run ${mode.command}: the printed address serves a working console`, async ({ page }) => {
    test.setTimeout(240_000);
    const launcher = (running = launch(mode.command, mode.port, mode.sandboxPort));
    const address = await launcher.printedAddress;
    expect(address).toBe(`http://127.0.0.1:${mode.port}`);
    const projectName = `Printed address ${mode.command} ${Date.now()}`;
    await expect
      .poll(async () => (await submitImport(address, projectName)).status, { timeout: 180_000, intervals: [1_000] })
      .toBe(201);
    const failedAssets = watchForFailedAssets(page);
    await page.goto(`${address}/jobs`);
    // Not signed in: the console asks first. The launcher printed where the password is.
    await expect(page).toHaveURL(`${address}/sign-in`);
    expect(launcher.output()).toContain("Sign in as admin@jobdeck.local with the password from JOBDECK_DEMO_PASSWORD");
    expect(launcher.output()).not.toContain(DEMO_PASSWORD);
    await page.getByLabel("Email").fill("admin@jobdeck.local");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The dev server compiles the sign-in route and the jobs page on first use: allow it time.
    await expect(page).toHaveURL(`${address}/jobs`, { timeout: 90_000 });
    await expect(page.getByRole("row").filter({ hasText: projectName })).toBeVisible({ timeout: 60_000 });
    // The client runtime booted: the page is interactive, not just server HTML.
    await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version), null, { timeout: 60_000 });
    expect(failedAssets).toEqual([]);
    // The page keeps its live stream open: stopping must not wait for the tab to close.
    expect(await launcher.stop()).toBe(true);
  });
}

function launch(command: "dev" | "start", port: number, sandboxPort: number) {
  // The launcher's own defaults decide the address: nothing of the test stack's but its database.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SANDBOX_PORT: String(sandboxPort), JOBDECK_DEMO_PASSWORD: DEMO_PASSWORD };
  delete env.PUBLIC_BASE_URL;
  delete env.DESCRIPT_API_URL;
  const child: ChildProcess = spawn("npm", ["run", command], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const printedAddress = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Jobdeck on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) => reject(new Error(`npm run ${command} exited with ${code} before printing its address:\n${output}`)));
    setTimeout(() => reject(new Error(`npm run ${command} printed no "Jobdeck on <address>" line within 120 s:\n${output}`)), 120_000).unref();
  });
  return {
    printedAddress,
    output: () => output,
    /** SIGTERM to the launcher's process group; true when all of it stopped by itself within 20 s. */
    async stop(): Promise<boolean> {
      if (!child.pid) return true;
      const group = -child.pid;
      const signal = (name: NodeJS.Signals | 0) => {
        try {
          process.kill(group, name);
          return true;
        } catch {
          return false; // the whole group is gone
        }
      };
      signal("SIGTERM");
      // The launcher stops Next and the sandbox itself; whatever of the group outlives 20 s is killed.
      for (let waited = 0; waited < 20_000 && signal(0); waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
      return !signal("SIGKILL");
    },
  };
}

function submitImport(address: string, projectName: string) {
  return fetch(`${address}/api/v1/jobs/import/project_media`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${testCredentials().keys.editor}` },
    body: JSON.stringify({ project_name: projectName, add_media: { "intro.mp4": { url: "https://example.com/intro.mp4" } } }),
  }).catch(() => ({ status: 0 }));
}

/**
 * Scripts, styles and dev resources the page could not load (a refused dev origin shows up here),
 * and anything the Content Security Policy blocked (a script without the nonce would).
 */
function watchForFailedAssets(page: Page): string[] {
  const failed: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|connect)/i.test(message.text())) failed.push(`CSP: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.url().includes("/_next/") && response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  page.on("requestfailed", (request) => {
    if (request.url().includes("/_next/") && !request.url().includes("webpack-hmr")) failed.push(`failed ${request.url()}`);
  });
  return failed;
}
