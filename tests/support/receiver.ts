// A client's own webhook endpoint, on loopback, that answers with the statuses it is told to. The
// app relays only to RELAY_ALLOWED_HOSTS, which the test stack fills with a few ports of loopback:
// a receiver takes the first of them that is free, and a path of its own, so that a retried relay
// of an earlier test that reaches the same port is answered 404 and not counted.
import crypto from "node:crypto";
import http from "node:http";

/** What a receiver answers a request: a status, or "hold" to read it and never answer (a slow target). */
export type Answer = number | "hold";

export interface Receiver {
  url: string;
  deliveries: Array<{ body: unknown; status: Answer }>;
  close(): Promise<void>;
}

export interface Tarpit {
  url: string;
  /** Requests that arrived and are being held (never answered). */
  held: number;
  /** Requests whose connection the sender gave up on. */
  abandoned: number;
  close(): Promise<void>;
}

export async function startReceiver(statuses: Answer[]): Promise<Receiver> {
  const deliveries: Receiver["deliveries"] = [];
  const path = ownPath();
  const server = http.createServer((request, response) => {
    if (request.url !== path) return void request.resume().on("end", () => response.writeHead(404).end());
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      const status = statuses[deliveries.length] ?? 200;
      deliveries.push({ body: JSON.parse(text || "null"), status });
      if (status !== "hold") response.writeHead(status).end();
    });
  });
  const url = await listenOnAllowedPort(server, path);
  return {
    url,
    deliveries,
    close: () => {
      server.closeAllConnections();
      return closeServer(server);
    },
  };
}

/** A receiver that reads each request and then never answers: the slowest target there is. */
export async function startTarpit(): Promise<Tarpit> {
  const tarpit = { held: 0, abandoned: 0 };
  const path = ownPath();
  const server = http.createServer((request, response) => {
    if (request.url !== path) return void request.resume().on("end", () => response.writeHead(404).end());
    request.resume();
    request.on("end", () => (tarpit.held += 1));
    request.socket.on("close", () => (tarpit.abandoned += 1));
  });
  const url = await listenOnAllowedPort(server, path);
  return Object.assign(tarpit, {
    url,
    close: () => {
      server.closeAllConnections();
      return closeServer(server);
    },
  });
}

function allowedPorts(): number[] {
  const entries = (process.env.RELAY_ALLOWED_HOSTS ?? "").split(",").filter(Boolean);
  const ports = entries.filter((entry) => entry.startsWith("127.0.0.1:")).map((entry) => Number(entry.split(":")[1]));
  if (ports.length === 0) throw new Error("RELAY_ALLOWED_HOSTS lists no 127.0.0.1 port: run the tests through the test stack");
  return ports;
}

function ownPath(): string {
  return `/hooks/${crypto.randomBytes(6).toString("hex")}`;
}

async function listenOnAllowedPort(server: http.Server, path: string): Promise<string> {
  for (const port of allowedPorts()) {
    const isListening = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (isListening) return `http://127.0.0.1:${port}${path}`;
  }
  throw new Error("every receiver port in RELAY_ALLOWED_HOSTS is taken: close receivers when a test is done");
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
