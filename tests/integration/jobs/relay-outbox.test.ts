import { afterAll, describe, expect, it } from "vitest";
import { deliverDueRelays, MAX_RELAY_ATTEMPTS } from "@/lib/jobs/relay";
import { submitImport, waitForDetail } from "../../support/jobs";
import { startReceiver, type Receiver } from "../../support/receiver";
import { uniqueName, waitFor, withDatabase } from "../../support/stack";

const receivers: Receiver[] = [];
afterAll(async () => Promise.all(receivers.map((receiver) => receiver.close())));

async function jobWithoutRelay() {
  const { localId } = await submitImport(uniqueName("outbox"), { "a.mp4": "https://media.example.com/a.mp4" });
  await waitForDetail(localId, (job) => job.state === "stopped", "the import to stop");
  return localId;
}

describe("the relay outbox shared by several instances", () => {
  it("delivers each relay exactly once while instances compete for it", async () => {
    const receiver = await startReceiver([]);
    receivers.push(receiver);
    const jobId = await jobWithoutRelay();
    const count = 12;
    await withDatabase((db) =>
      db.query(
        `INSERT INTO callback_relays (id, job_id, url, body) SELECT gen_random_uuid(), $1, $2, jsonb_build_object('n', n) FROM generate_series(1, $3) AS n`,
        [jobId, receiver.url, count],
      ),
    );
    // This test process acts as three more instances beside the running app's own worker.
    await Promise.all([deliverDueRelays(), deliverDueRelays(), deliverDueRelays()]);
    await waitFor(async () => (receiver.deliveries.length >= count ? true : undefined), { what: "every relay" });
    const delivered = receiver.deliveries.map((delivery) => (delivery.body as { n: number }).n).sort((a, b) => a - b);
    expect(delivered).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    // The app's own worker may still be recording the deliveries it made: wait for every outcome.
    const rows = await waitFor(
      async () => {
        const found = await withDatabase(async (db) => (await db.query("SELECT attempts, delivered_at, next_attempt_at FROM callback_relays WHERE job_id = $1", [jobId])).rows);
        return found.every((row) => row.delivered_at !== null) ? found : undefined;
      },
      { what: "every relay recorded as delivered" },
    );
    expect(rows.every((row) => row.attempts === 1 && row.next_attempt_at === null)).toBe(true);
  });

  it("gives up after the last try and says so on the timeline", async () => {
    const receiver = await startReceiver([500]);
    receivers.push(receiver);
    const jobId = await jobWithoutRelay();
    await withDatabase((db) =>
      db.query(`INSERT INTO callback_relays (id, job_id, url, body, attempts) VALUES (gen_random_uuid(), $1, $2, '{}', $3)`, [
        jobId,
        receiver.url,
        MAX_RELAY_ATTEMPTS - 1,
      ]),
    );
    await deliverDueRelays();
    const job = await waitForDetail(jobId, (detail) => detail.events.some((event) => event.kind === "relayed"), "the last attempt on the timeline");
    expect(job.events.find((event) => event.kind === "relayed")?.message).toContain("giving up");
    const [row] = await withDatabase(async (db) => (await db.query("SELECT abandoned_at, next_attempt_at FROM callback_relays WHERE job_id = $1", [jobId])).rows);
    expect(row.abandoned_at).not.toBeNull();
    expect(row.next_attempt_at).toBeNull();
  });
});
