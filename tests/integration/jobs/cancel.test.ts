import { describe, expect, it } from "vitest";
import type { JobDetail } from "@/lib/jobs/api-types";
import { getDetail, submitImport, waitForDetail } from "../../support/jobs";
import { appFetch, consoleApi, sandboxControl, sandboxJob, uniqueName, waitFor, withDatabase } from "../../support/stack";

const cancel = (localId: string, body: unknown = {}) =>
  consoleApi<JobDetail & { code?: string }>(`/api/jobs/${localId}/cancel`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("cancelling a job", () => {
  it("ends a running job as cancelled, with the request and the confirmation on its timeline", async () => {
    const { localId } = await submitImport(uniqueName("stuck #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const answer = await cancel(localId, { reason: "stuck for an hour" });
    expect(answer.status).toBe(200);
    expect(answer.body.state).toBe("cancelled");
    expect(answer.body.cancelReason).toBe("stuck for an hour");
    const kinds = answer.body.events.map((event) => event.kind);
    expect(kinds).toEqual(expect.arrayContaining(["cancel_requested", "cancelled", "poll_result"]));
    // Upstream's word settles it, once: by the read-back or by a callback, whichever came first.
    const reports = answer.body.events.filter((event) => event.kind === "poll_result" || event.kind === "callback_received");
    expect(reports.filter((event) => event.verdict === "applied")).toHaveLength(1);
    expect(reports.every((event) => event.verdict === "applied" || event.verdict === "duplicate")).toBe(true);
  });

  it("puts the job back as it was when upstream refuses the cancel, with the failure on its timeline", async () => {
    const { localId } = await submitImport(uniqueName("refused cancel #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    // The client tries a DELETE three times (a cancel is safe to retry); all three meet a 503.
    await sandboxControl("faults", { status: 503, count: 3, method: "DELETE" });
    const answer = await cancel(localId, { reason: "try anyway" });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ code: "upstream_error" });
    const job = await getDetail(localId);
    // Upstream, asked afterwards, still runs the job: Jobdeck says so rather than "cancel requested".
    expect(job.state).toBe("running");
    const failure = job.events.find((event) => event.kind === "cancel_failed");
    expect(failure).toMatchObject({ httpStatus: 503 });
    expect(failure?.message).toContain("running again");
    const retry = await cancel(localId);
    expect(retry.body.state).toBe("cancelled");
  });

  it("refuses to cancel a job it knows has finished, with 409", async () => {
    const { localId } = await submitImport(uniqueName("done"), { "a.mp4": "https://media.example.com/a.mp4" });
    await waitForDetail(localId, (job) => job.state === "stopped", "the import to stop");
    const answer = await cancel(localId);
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: "conflict", status: 409 });
    const after = await waitForDetail(localId, (job) => job.state === "stopped", "the job to stay stopped");
    expect(after.outcome).toBe("success");
  });

  it("validates the request: a non-uuid id and an unknown field are refused with problem+json", async () => {
    const badId = await consoleApi<{ code: string; invalidParams: unknown[] }>("/api/jobs/not-a-uuid/cancel", { method: "POST" });
    expect(badId.status).toBe(400);
    expect(badId.headers.get("content-type")).toContain("application/problem+json");
    expect(badId.body.invalidParams).toHaveLength(1);
    const { localId } = await submitImport(uniqueName("validation #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    const unknownField = await cancel(localId, { reason: "x", force: true });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.code).toBe("invalid_input");
    const missing = await cancel("00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    await cancel(localId);
  });
});

describe("the proxy's DELETE /jobs/{job_id}", () => {
  it("decides under the row lock: a job that ends while the DELETE waits is answered 204, as Descript would", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("ends meanwhile #stall"), { "a.mp4": "https://media.example.com/a.mp4" });
    await withDatabase(async (db) => {
      // Hold the job's row lock, as a callback being applied would.
      await db.query("BEGIN");
      await db.query("SELECT id FROM jobs WHERE id = $1 FOR UPDATE", [localId]);
      const deleting = appFetch(`/api/v1/jobs/${upstreamJobId}`, { method: "DELETE" });
      try {
        await waitFor(
          async () => {
            const { rows } = await db.query(
              "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()",
            );
            return rows.length > 0 ? true : undefined;
          },
          { what: "the DELETE to wait for the row lock" },
        );
        // The job finishes while the DELETE waits (the callback holding the lock commits).
        await db.query("UPDATE jobs SET state = 'stopped', upstream_state = 'stopped', outcome = 'success' WHERE id = $1", [localId]);
      } finally {
        await db.query("COMMIT");
      }
      expect((await deleting).status).toBe(204);
    });
    // Nothing was sent upstream: the job there is still running.
    expect(await sandboxJob(upstreamJobId)).toMatchObject({ job_state: "running" });
    expect((await getDetail(localId)).events.map((event) => event.kind)).not.toContain("cancel_requested");
  });
});
