// An instance stopped while it holds a relay's claim: two app instances of their own, one after the
// other, on a database of their own, so that the stack's app (which claims every due relay of its
// database) cannot take the relay first and the test knows who held it.
import { afterEach, describe, expect, it } from "vitest";
import { startAppInstance, type AppInstance } from "../../support/instance";
import { ownDatabase } from "../../support/own-database";
import { startReceiver, type Receiver } from "../../support/receiver";
import { waitFor } from "../../support/stack";

/** How long a claimed relay waits when its instance dies without giving it back (lib/jobs/relay.ts). */
const LEASE_MS = 60_000;

const { url: ownDatabaseUrl, withDatabase: withOwnDatabase } = ownDatabase("relay_stop");

const instances: AppInstance[] = [];
const receivers: Receiver[] = [];

// Each test's instances are gone before the next: a live one would claim the next test's relay.
afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.terminate()));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function startInstance(): Promise<AppInstance> {
  const instance = await startAppInstance({ DATABASE_URL: ownDatabaseUrl });
  instances.push(instance);
  return instance;
}

/** A stopped job's relay to a receiver that reads the first request and never answers it, then answers 200. */
async function relayToHoldingReceiver() {
  const receiver = await startReceiver(["hold", 200]);
  receivers.push(receiver);
  const relayId = await withOwnDatabase(async (db) => {
    const { rows: [job] } = await db.query(
      `INSERT INTO jobs (id, type, state, request, submitted_by, updated_at)
       VALUES (gen_random_uuid(), 'import/project_media', 'stopped', '{}', 'key:test', now()) RETURNING id`,
    );
    const { rows: [relay] } = await db.query(
      `INSERT INTO callback_relays (id, job_id, url, body) VALUES (gen_random_uuid(), $1, $2, '{"job_state":"stopped"}') RETURNING id`,
      [job.id, receiver.url],
    );
    return relay.id as string;
  });
  const relayRow = () =>
    withOwnDatabase(async (db) =>
      (await db.query("SELECT attempts, next_attempt_at <= now() AS is_due, delivered_at, abandoned_at FROM callback_relays WHERE id = $1", [relayId])).rows[0],
    );
  return { receiver, relayRow };
}

describe("a stopping instance's relays", () => {
  it("on SIGTERM, a relay whose delivery hangs is given back at once and delivered by the next instance, once", async () => {
    const { receiver, relayRow } = await relayToHoldingReceiver();

    const first = await startInstance();
    await waitFor(async () => (receiver.deliveries.length >= 1 ? true : undefined), { what: "the first instance to send the relay", timeoutMs: 30_000 });
    const stoppedAt = Date.now();
    const ended = await first.terminate();
    expect(ended.signal, first.output()).toBeNull();
    expect(ended.ms).toBeLessThan(10_000);
    // Given back before the instance exited, not left to its lease: due now, undelivered, the cut-off
    // try counted.
    expect(await relayRow()).toMatchObject({ attempts: 1, is_due: true, delivered_at: null, abandoned_at: null });
    expect(first.output()).toMatch(/"event":"relay_worker_stopped".*"released":1/);

    await startInstance();
    const delivered = await waitFor(async () => {
      const row = await relayRow();
      return row.delivered_at ? row : undefined;
    }, { what: "the next instance to deliver the relay", timeoutMs: 40_000, intervalMs: 250 });
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS);
    expect(delivered).toMatchObject({ attempts: 2, abandoned_at: null });
    expect(receiver.deliveries.map((delivery) => delivery.status)).toEqual(["hold", 200]);
    const timeline = await withOwnDatabase(async (db) => (await db.query("SELECT message FROM job_events WHERE kind = 'relayed' ORDER BY id")).rows);
    expect(timeline.map((event) => event.message)).toEqual([
      expect.stringContaining("cut off as this instance stopped (attempt 1)"),
      expect.stringContaining("relayed to the client's callback (attempt 2)"),
    ]);
  }, 150_000);

  it("a second signal while it stops (SIGTERM, then Ctrl-C) waits for the first stop: the relay is still given back", async () => {
    const { receiver, relayRow } = await relayToHoldingReceiver();
    const instance = await startInstance();
    await waitFor(async () => (receiver.deliveries.length >= 1 ? true : undefined), { what: "the instance to send the relay", timeoutMs: 30_000 });
    const exited = new Promise<number | null>((resolve) => instance.child.once("exit", (code) => resolve(code)));
    instance.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 200));
    instance.child.kill("SIGINT");
    // The first signal's stop, with its exit code, not one the second started over a closed server.
    expect(await exited, instance.output()).toBe(143);
    expect(await relayRow()).toMatchObject({ attempts: 1, is_due: true, delivered_at: null, abandoned_at: null });
    expect(instance.output()).toMatch(/"event":"relay_worker_stopped".*"released":1/);
  }, 150_000);
});
