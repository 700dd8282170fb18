// `npm run worker`: the background worker alone, without a web server (beside app instances that
// run theirs, or with JOBDECK_WORKER=off on the web instances). SIGTERM or Ctrl-C lets its in-flight
// work finish, gives back the claims it still holds, then exits.
import fs from "node:fs";
import path from "node:path";
import { log, ROOT, runMain, startStack } from "./stack";

runMain(async () => {
  if (fs.existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const stack = await startStack({ profile: "dev", withSandbox: false });
  Object.assign(process.env, stack.env);
  // Loaded after the environment is complete: the app's modules read it on first use.
  const { startWorker } = await import("../lib/worker/worker");
  const worker = startWorker();
  log(`worker ${worker.id} running`);
  // The worker's own timers do not hold a web server open; here something must hold the process.
  const keepAlive = setInterval(() => {}, 60_000);
  await new Promise<void>((resolve) => {
    process.on("SIGINT", resolve);
    process.on("SIGTERM", resolve);
  });
  clearInterval(keepAlive);
  const { finished, released } = await worker.stop();
  log(`worker ${worker.id} stopped: ${finished} settled, ${released} claims released`);
  await stack.stop();
  return 0;
});
