// Finding 10 of issue #11: the app listens on HOSTNAME only (loopback unless set), not on every
// interface. 127.0.0.2 is loopback too, but a server bound to 127.0.0.1 does not answer there.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { appUrl } from "../../support/stack";

function tryConnect(host: string, port: number): Promise<"connected" | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe("exposure", () => {
  it("listens on the configured address and no other", async () => {
    const port = Number(new URL(appUrl).port);
    expect(await tryConnect("127.0.0.1", port)).toBe("connected");
    expect(await tryConnect("127.0.0.2", port)).toBe("ECONNREFUSED");
  });
});
