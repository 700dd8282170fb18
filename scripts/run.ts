// `npm run dev` / `npm start`: the stack (database, migrations, sandbox), then the app's server (Next.js behind node:http).
import fs from "node:fs";
import path from "node:path";
import { exitCodeOf, log, ROOT, runMain, runToCompletion, startServer, startStack, stopChild, stopOnSignals } from "./stack";

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
  // node:http in front of Next: callbacks take the fast path, the rest is Next's (docs/decisions/0017).
  const next = startServer(mode, stack);
  const upstream = stack.config.descriptMode === "sandbox" ? "sandbox" : "live Descript API";
  // The address to open comes first and alone, so a person (or a test) can take it as it is.
  log(`Jobdeck on ${stack.config.publicBaseUrl} (${upstream}; listening on ${hostname}:${port}, set by HOSTNAME)`);
  stopOnSignals(async () => {
    await stopChild(next);
    await stack.stop();
  });
  const code = await exitCodeOf(next);
  await stack.stop();
  return code;
});
