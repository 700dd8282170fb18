import { describe, expect, it } from "vitest";
import type { JobDetail } from "@/lib/jobs/api-types";
import { getDetail, postCallback, submitImport, waitForDetail } from "../../support/jobs";
import { consoleApi, sandboxControl, sandboxJob, uniqueName, waitFor, withDatabase } from "../../support/stack";

interface Delivery {
  status?: number;
}

describe("when things go wrong", () => {
  it("answers a callback 5xx when the database fails, writing nothing, so Descript retries", async () => {
    const projectName = uniqueName("db failure");
    const trap = `fail_callback_${Math.random().toString(36).slice(2, 10)}`;
    await withDatabase(async (db) => {
      // A trigger that fails the timeline insert of this project's callbacks: the job update made
      // before it in the same transaction must be rolled back with it. Set before the job exists.
      await db.query(`CREATE FUNCTION ${trap}() RETURNS trigger AS $$ BEGIN
          IF NEW.kind = 'callback_received' AND EXISTS (SELECT 1 FROM jobs WHERE id = NEW.job_id AND project_name = ${pgLiteral(projectName)})
          THEN RAISE EXCEPTION 'disk full (test)'; END IF;
          RETURN NEW; END $$ LANGUAGE plpgsql`);
      await db.query(`CREATE TRIGGER ${trap} BEFORE INSERT ON job_events FOR EACH ROW EXECUTE FUNCTION ${trap}()`);
    });
    let localId: string;
    let upstreamJobId: string;
    try {
      ({ localId, upstreamJobId } = await submitImport(projectName, { "a.mp4": "https://media.example.com/a.mp4" }));
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
      const job = await getDetail(localId);
      expect(job.state).toBe("queued");
      expect(job.files[0]?.status).toBe("pending");
      expect(job.events.map((event) => event.kind)).toEqual(["submitted", "upstream_answered"]);
    } finally {
      await withDatabase(async (db) => {
        await db.query(`DROP TRIGGER IF EXISTS ${trap} ON job_events`);
        await db.query(`DROP FUNCTION IF EXISTS ${trap}()`);
      });
    }
    // The same delivery, retried once the database is back, is applied in full.
    const retried = await postCallback(localId, await sandboxJob(upstreamJobId));
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

function pgLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
