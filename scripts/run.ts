// `npm run dev` / `npm start`: the stack (database, migrations, sandbox), then the app's server (Next.js behind node:http).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { exitCodeOf, log, ROOT, runMain, runToCompletion, startServer, startStack, stopChild, stopOnSignals } from "./stack";

const DEMO_ADMIN_EMAIL = "admin@jobdeck.local";
const DEMO_PASSWORD_FILE = path.join(ROOT, ".data", "demo-admin-password");

/** Sandbox mode's demo admin password: JOBDECK_DEMO_PASSWORD, or one generated once into .data/. */
function demoAdminPassword(): { password: string; source: string } {
  if (process.env.JOBDECK_DEMO_PASSWORD) return { password: process.env.JOBDECK_DEMO_PASSWORD, source: "from JOBDECK_DEMO_PASSWORD" };
  if (!fs.existsSync(DEMO_PASSWORD_FILE)) {
    fs.mkdirSync(path.dirname(DEMO_PASSWORD_FILE), { recursive: true });
    fs.writeFileSync(DEMO_PASSWORD_FILE, `${crypto.randomBytes(18).toString("base64url")}\n`, { mode: 0o600 });
  }
  return { password: fs.readFileSync(DEMO_PASSWORD_FILE, "utf8").trim(), source: `in ${path.relative(process.cwd(), DEMO_PASSWORD_FILE)}` };
}

runMain(async () => {
  const mode = process.argv[2];
  if (mode !== "dev" && mode !== "start") throw new Error("usage: tsx scripts/run.ts dev|start");
  // A local .env is the usual place for a token; the shell's own variables win over it.
  if (fs.existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));

  const stack = await startStack({ profile: "dev", withSandbox: true });
  if (mode === "start" && !fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    log("no production build yet: running next build");
    await runToCompletion(path.join(ROOT, "node_modules/.bin/next"), ["build"], { env: stack.env });
  }
  const { hostname, port } = stack.config;
  const demo = stack.config.descriptMode === "sandbox" ? demoAdminPassword() : null;
  const env = demo ? { ...stack.env, JOBDECK_DEMO_ADMIN: "on", JOBDECK_DEMO_PASSWORD: demo.password } : stack.env;
  // node:http in front of Next: callbacks take the fast path, the rest is Next's (docs/decisions/0017).
  const next = startServer(mode, { ...stack, env });
  const upstream = stack.config.descriptMode === "sandbox" ? "sandbox" : "live Descript API";
  // The address to open comes first and alone, so a person (or a test) can take it as it is.
  log(`Jobdeck on ${stack.config.publicBaseUrl} (${upstream}; listening on ${hostname}:${port}, set by HOSTNAME)`);
  // Where the password is, never the password itself: this output ends up in terminals and logs.
  if (demo) log(`Sign in as ${DEMO_ADMIN_EMAIL} with the password ${demo.source}`);
  stopOnSignals(async () => {
    await stopChild(next);
    await stack.stop();
  });
  const code = await exitCodeOf(next);
  await stack.stop();
  return code;
});
