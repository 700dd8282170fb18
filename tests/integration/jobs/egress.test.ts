// Finding 2, 3 and 9 of issue #11, written as the attacks: a submitter's callback_url aimed at
// Jobdeck's own network, special address ranges, a rebinding name, and a tarpit.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createEgress, EgressLookupError, EgressRefusedError, type EgressPolicy } from "@/lib/server/egress";
import { submitImport, waitForDetail } from "../../support/jobs";
import { startReceiver, startTarpit, type Receiver, type Tarpit } from "../../support/receiver";
import { databaseUrl, sandboxJob, sandboxUrl, uniqueName, waitFor } from "../../support/stack";

// Receivers take the few ports RELAY_ALLOWED_HOSTS lists: each test gives its own back.
const open: Array<Receiver | Tarpit> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

const sandboxPort = new URL(sandboxUrl).port;
const databasePort = new URL(databaseUrl).port || "5432";

/** One address of each range that is not public unicast, IPv4 and IPv6. */
const SPECIAL_ADDRESSES = [
  "127.0.0.1", "0.0.0.0", "10.0.0.1", "100.64.0.1", "169.254.169.254", "172.16.0.1", "192.168.1.1",
  "192.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
  "::1", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "fc00::1", "fe80::1",
  "fec0::1", "ff02::1", "2001:db8::1", "100::1",
];

const asUrlHost = (address: string) => (net.isIPv6(address) ? `[${address}]` : address);

async function relayOutcome(callbackUrl: string) {
  const { localId } = await submitImport(uniqueName("egress"), { "a.mp4": "https://media.example.com/a.mp4" }, { callback_url: callbackUrl });
  const job = await waitForDetail(localId, (detail) => detail.events.some((event) => event.kind === "relayed"), "the relay attempt", 20_000);
  return job.events.filter((event) => event.kind === "relayed");
}

describe("relays in sandbox mode reach only RELAY_ALLOWED_HOSTS", () => {
  it("refuses loopback by any spelling, the database port and the sandbox's control API, and gives up at once", async () => {
    // A job the sandbox must still know afterwards: the control API's reset was the chained attack.
    const witness = await submitImport(uniqueName("witness #stall"), { "w.mp4": "https://media.example.com/w.mp4" });
    for (const target of [
      `http://127.0.0.1:${sandboxPort}/v1/_sandbox/reset`,
      `http://localhost:${sandboxPort}/v1/_sandbox/reset`,
      `http://[::ffff:127.0.0.1]:${sandboxPort}/v1/_sandbox/reset`,
      `http://127.0.0.1:${databasePort}/`,
      `http://127.1:${sandboxPort}/v1/_sandbox/reset`,
    ]) {
      const relays = await relayOutcome(target);
      expect(relays, target).toHaveLength(1);
      expect(relays[0]?.message, target).toMatch(/not allowed.*not relayed/);
      expect(relays[0]?.httpStatus, target).toBeNull();
    }
    expect(await sandboxJob(witness.upstreamJobId)).toMatchObject({ job_state: "running" });
  });

  it("still relays to a listed receiver", async () => {
    const receiver = await startReceiver([]);
    open.push(receiver);
    const relays = await relayOutcome(receiver.url);
    expect(relays[0]?.httpStatus).toBe(200);
    expect(receiver.deliveries).toHaveLength(1);
  });

  it("keeps credentials in a callback_url out of the timeline, and does not send them", async () => {
    const receiver = await startReceiver([]);
    open.push(receiver);
    const withCredentials = receiver.url.replace("http://", "http://alice:hunter2-relay@");
    const relays = await relayOutcome(withCredentials);
    expect(relays[0]?.message).toContain("credentials");
    expect(JSON.stringify(relays)).not.toContain("hunter2-relay");
    expect(receiver.deliveries).toHaveLength(0);
  });
});

describe("the egress policy itself", () => {
  const policy = (mode: "live" | "sandbox", extra: Partial<EgressPolicy> = {}): EgressPolicy => ({
    allowedHosts: new Set(),
    allowPublic: mode === "live",
    ...extra,
  });

  it.each(["live", "sandbox"] as const)("refuses every special range in %s mode without sending anything", async (mode) => {
    const egress = createEgress(policy(mode));
    try {
      for (const address of SPECIAL_ADDRESSES) {
        const attempt = egress.postJson(`http://${asUrlHost(address)}:8080/hook`, {}, { timeoutMs: 20_000, userAgent: "test" });
        await expect(attempt, address).rejects.toBeInstanceOf(EgressRefusedError);
      }
    } finally {
      await egress.close();
    }
  });

  it("refuses a name that resolves inward, and connects only to the address it checked (DNS rebinding)", async () => {
    const receiver = await startReceiver([]);
    open.push(receiver);
    const port = new URL(receiver.url).port;
    // The rebinding name answers a public address to the first lookup and loopback (where the
    // receiver listens) to every later one: a check-then-fetch guard would be fooled by it.
    let lookups = 0;
    const rebinding = async () => (++lookups === 1 ? ["203.0.114.7"] : ["127.0.0.1"]);
    const egress = createEgress(policy("live", { resolve: rebinding }));
    const inward = createEgress(policy("live", { resolve: async () => ["93.184.215.14", "127.0.0.1"] }));
    try {
      // Whatever becomes of the connection to the public address, it is never the receiver's.
      await egress.postJson(`http://rebind.example:${port}/hook`, {}, { timeoutMs: 2_000, userAgent: "test" }).catch(() => null);
      expect(lookups).toBe(1);
      await expect(inward.postJson(`http://inward.example:${port}/hook`, {}, { timeoutMs: 20_000, userAgent: "test" })).rejects.toBeInstanceOf(
        EgressRefusedError,
      );
      expect(receiver.deliveries).toHaveLength(0);
    } finally {
      await Promise.all([egress.close(), inward.close()]);
    }
  });

  it("treats a name that does not resolve, or not in time, as worth retrying rather than refused", async () => {
    const missing = createEgress(policy("live", { resolve: () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" })) }));
    const hanging = createEgress(policy("live", { resolve: () => new Promise<string[]>(() => {}), lookupTimeoutMs: 200 }));
    try {
      await expect(missing.postJson("https://nowhere.example/hook", {}, { timeoutMs: 20_000, userAgent: "test" })).rejects.toBeInstanceOf(EgressLookupError);
      await expect(hanging.postJson("https://slow-dns.example/hook", {}, { timeoutMs: 20_000, userAgent: "test" })).rejects.toBeInstanceOf(EgressLookupError);
    } finally {
      await Promise.all([missing.close(), hanging.close()]);
    }
  });

  it("follows no redirect", async () => {
    const receiver = await startReceiver([302]);
    open.push(receiver);
    const egress = createEgress(policy("sandbox", { allowedHosts: new Set([new URL(receiver.url).host]) }));
    try {
      expect(await egress.postJson(receiver.url, {}, { timeoutMs: 20_000, userAgent: "test" })).toBe(302);
      expect(receiver.deliveries).toHaveLength(1);
    } finally {
      await egress.close();
    }
  });
});

describe("relay deliveries are independent", () => {
  it("a tarpit target does not hold another job's relay", async () => {
    const tarpit = await startTarpit();
    const receiver = await startReceiver([]);
    open.push(tarpit, receiver);
    await submitImport(uniqueName("tarpit"), { "a.mp4": "https://media.example.com/a.mp4" }, { callback_url: tarpit.url });
    await waitFor(async () => (tarpit.held >= 1 ? true : undefined), { what: "the tarpit to hold the first relay", timeoutMs: 20_000 });
    const other = await submitImport(uniqueName("beside the tarpit"), { "b.mp4": "https://media.example.com/b.mp4" }, { callback_url: receiver.url });
    await waitFor(async () => (receiver.deliveries.length >= 1 ? true : undefined), { what: "the other job's relay", timeoutMs: 20_000 });
    // The other relay went through while the tarpit still held its connection open.
    expect(tarpit.abandoned).toBe(0);
    expect(receiver.deliveries[0]?.body).toMatchObject({ job_id: other.upstreamJobId, job_state: "stopped" });
  });
});
