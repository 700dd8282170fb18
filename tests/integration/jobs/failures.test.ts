import { describe, expect, it } from "vitest";
import type { JobDetail } from "@/lib/jobs/api-types";
import { signCallbackToken } from "@/lib/jobs/callback-token";
import { getDetail, submitImport, waitForDetail } from "../../support/jobs";
import { appUrl, callbackSecret, consoleApi, sandboxControl, sandboxJob, uniqueName, waitFor, withDatabase } from "../../support/stack";

interface Delivery {
  status?: number;
}

describe("when things go wrong", () => {
  it("answers a callback 5xx when the database fails, writing nothing, so Descript retries", async () => {
    // The callback comes a moment after the create answer, once the trap below is set.
    const { localId, upstreamJobId } = await submitImport(uniqueName("db failure #delay=1500"), { "a.mp4": "https://media.example.com/a.mp4" });
    const trap = `fail_callback_${localId.replaceAll("-", "")}`;
    await withDatabase(async (db) => {
      // A trigger that fails the timeline insert for this one job: the job update before it in the
      // same transaction must be rolled back with it.
      await db.query(`CREATE FUNCTION ${trap}() RETURNS trigger AS $$ BEGIN
          IF NEW.job_id = '${localId}' AND NEW.kind = 'callback_received' THEN RAISE EXCEPTION 'disk full (test)'; END IF;
          RETURN NEW; END $$ LANGUAGE plpgsql`);
      await db.query(`CREATE TRIGGER ${trap} BEFORE INSERT ON job_events FOR EACH ROW EXECUTE FUNCTION ${trap}()`);
    });
    try {
      const before = await getDetail(localId);
      // The sandbox retries with backoff; wait until it has given up on every attempt.
      const deliveries = await waitFor(
        async () => {
          const response = await sandboxControl(`callbacks?job_id=${encodeURIComponent(upstreamJobId)}`);
          const { data } = (await response.json()) as { data: Delivery[] };
          return data.length >= 5 ? data : undefined;
        },
        { what: "the sandbox's callback attempts", timeoutMs: 20_000 },
      );
      expect(deliveries.every((delivery) => delivery.status === 503)).toBe(true);
      const after = await getDetail(localId);
      expect(after.state).toBe(before.state);
      expect(after.updatedAt).toBe(before.updatedAt);
      expect(after.events).toEqual(before.events);
    } finally {
      await withDatabase(async (db) => {
        await db.query(`DROP TRIGGER IF EXISTS ${trap} ON job_events`);
        await db.query(`DROP FUNCTION IF EXISTS ${trap}()`);
      });
    }
    // The same delivery, retried once the database is back, is applied in full.
    const job = await sandboxJob(upstreamJobId);
    const retried = await fetch(`${appUrl}/api/callbacks/descript/${signCallbackToken(localId, callbackSecret)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(job),
    });
    expect(retried.status).toBe(200);
    const settled = await getDetail(localId);
    expect(settled.state).toBe("stopped");
    expect(settled.files[0]?.status).toBe("success");
  });

  it("ends a job that finished while Jobdeck was not told (a lost callback) in its true state when cancelled", async () => {
    // #drop: upstream finishes but never calls back, so Jobdeck still shows the job as queued.
    const { localId, upstreamJobId } = await submitImport(uniqueName("lost callback #drop"), { "a.mp4": "https://media.example.com/a.mp4" });
    await waitFor(
      async () => {
        const job = (await sandboxJob(upstreamJobId)) as { job_state: string };
        return job.job_state === "stopped" ? true : undefined;
      },
      { what: "the job to finish upstream" },
    );
    expect((await getDetail(localId)).state).toBe("queued");
    const answer = await consoleApi<JobDetail>(`/api/jobs/${localId}/cancel`, { method: "POST" });
    expect(answer.status).toBe(200);
    // Never a lie: the job ran to its end before the cancel reached it.
    const job = await waitForDetail(localId, (detail) => detail.state === "stopped", "the true final state");
    expect(job.outcome).toBe("success");
    expect(job.events.map((event) => event.kind)).toEqual(expect.arrayContaining(["cancel_requested", "poll_result"]));
  });
});
