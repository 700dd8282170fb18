// A client's own webhook endpoint, on loopback, that answers with the statuses it is told to.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Receiver {
  url: string;
  deliveries: Array<{ body: unknown; status: number }>;
  close(): Promise<void>;
}

export async function startReceiver(statuses: number[]): Promise<Receiver> {
  const deliveries: Receiver["deliveries"] = [];
  const server = http.createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      const status = statuses[deliveries.length] ?? 200;
      deliveries.push({ body: JSON.parse(text || "null"), status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/descript`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
