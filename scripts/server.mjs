// The HTTP server of `npm run dev` and `npm start` (docs/decisions/0017): node:http in front, Next
// behind. Descript's callbacks and the console's list are answered by the app's own listener
// (lib/server/front-listener.ts), which the instance's start-up registers once Next has loaded it;
// every other request, and the dev server's websocket upgrades (HMR), go to Next. Started by
// scripts/run.ts and scripts/stack.ts with HOSTNAME and PORT set: `node scripts/server.mjs dev|start`.
import http from "node:http";
import path from "node:path";
import next from "next";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start") {
  process.stderr.write("usage: node scripts/server.mjs dev|start\n");
  process.exit(2);
}
const hostname = process.env.HOSTNAME || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
const FRONT_LISTENER_KEY = Symbol.for("jobdeck.frontListener");
const BACKGROUND_STOP_KEY = Symbol.for("jobdeck.stopBackgroundWork");
/**
 * How long requests in flight may finish, and the background stop (the worker's 5 s grace and one
 * release query; the relay worker's 3 s beside it), after SIGTERM or SIGINT: inside the launcher's
 * 10 s before SIGKILL (scripts/stack.ts stopChild).
 */
const STOP_LIMIT_MS = 7_000;

const server = http.createServer();
// With httpServer, Next attaches its own upgrade handler (dev HMR) to this server.
const app = next({ dev: mode === "dev", dir: path.resolve(import.meta.dirname, ".."), hostname, port, httpServer: server });
await app.prepare();
const handleByNext = app.getRequestHandler();

server.on("request", (request, response) => {
  const handleInFront = globalThis[FRONT_LISTENER_KEY];
  if (handleInFront?.(request, response)) return;
  handleByNext(request, response).catch((error) => {
    console.error(error);
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});
server.listen(port, hostname);

// Stops taking requests and the instance's background work (lib/server/start.ts), lets requests in
// flight finish for a while, then exits as Next's own server does (128 + the signal's number), so
// the launcher sees a signal's end. Open change streams end on the signal by themselves. Once: a
// second signal (SIGTERM, then Ctrl-C) waits for the stop under way; starting another would find
// the server closed and the background stopping, and exit before the first stop's grace was over.
let isStopping = false;
for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]]) {
  process.on(signal, () => {
    if (isStopping) return;
    isStopping = true;
    const drained = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const stopBackgroundWork = globalThis[BACKGROUND_STOP_KEY];
    const stopped = stopBackgroundWork ? stopBackgroundWork().catch(() => {}) : Promise.resolve();
    const deadline = new Promise((resolve) => setTimeout(resolve, STOP_LIMIT_MS).unref());
    void Promise.race([Promise.all([drained, stopped]), deadline])
      .then(() => app.close())
      .finally(() => process.exit(code));
  });
}
