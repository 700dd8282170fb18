import { afterAll, describe, expect, it } from "vitest";
import { submitImport, waitForDetail } from "../../support/jobs";
import { startReceiver, type Receiver } from "../../support/receiver";
import { uniqueName, waitFor, withDatabase } from "../../support/stack";

const receivers: Receiver[] = [];
afterAll(async () => Promise.all(receivers.map((receiver) => receiver.close())));

describe("relaying to the client's own callback_url", () => {
  it("delivers the final job after Jobdeck applied it, retrying a failing receiver, each attempt on the timeline", async () => {
    const receiver = await startReceiver([500, 200]);
    receivers.push(receiver);
    const { localId, upstreamJobId } = await submitImport(uniqueName("relay"), { "a.mp4": "https://media.example.com/a.mp4" }, { callback_url: receiver.url });
    await waitFor(async () => (receiver.deliveries.length >= 2 ? true : undefined), { what: "two relay attempts", timeoutMs: 20_000 });
    const delivered = receiver.deliveries[1]?.body as Record<string, unknown>;
    expect(delivered).toMatchObject({ job_id: upstreamJobId, job_state: "stopped", result: { status: "success" } });
    // The relayed body is what Jobdeck's own GET answers: the client sees one truth.
    const job = await waitForDetail(localId, (job) => job.events.filter((event) => event.kind === "relayed").length === 2, "both attempts on the timeline");
    const relays = job.events.filter((event) => event.kind === "relayed");
    expect(relays.map((event) => event.httpStatus)).toEqual([500, 200]);
    expect(job.hasClientCallback).toBe(true);
    // The client's URL is not the one Descript was given.
    const submitted = job.events.find((event) => event.kind === "submitted");
    expect(JSON.stringify(submitted?.payload)).not.toContain(receiver.url);
  });

  it("relays nothing for a duplicate delivery", async () => {
    const receiver = await startReceiver([]);
    receivers.push(receiver);
    const { localId } = await submitImport(uniqueName("relay once #dup=3"), { "a.mp4": "https://media.example.com/a.mp4" }, { callback_url: receiver.url });
    await waitForDetail(localId, (job) => job.events.filter((event) => event.kind === "callback_received").length === 3, "three deliveries");
    await waitFor(async () => (receiver.deliveries.length >= 1 ? true : undefined), { what: "the relay" });
    const relays = await withDatabase(async (db) => (await db.query("SELECT delivered_at FROM callback_relays WHERE job_id = $1", [localId])).rows);
    expect(relays).toHaveLength(1);
    expect(relays[0]?.delivered_at).not.toBeNull();
    expect(receiver.deliveries).toHaveLength(1);
  });
});
