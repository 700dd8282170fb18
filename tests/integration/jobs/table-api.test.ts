import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CancelJobsAnswer, JobListPage } from "@/lib/jobs/api-types";
import { getDetail, submitImport, waitForDetail } from "../../support/jobs";
import { consoleApi, uniqueName } from "../../support/stack";

interface Problem {
  code: string;
  status: number;
  detail: string;
  invalidParams?: Array<{ name: string; reason: string }>;
}

const list = (query: Record<string, string>) => consoleApi<JobListPage & Problem>(`/api/jobs?${new URLSearchParams(query)}`);

const cancelMany = (body: unknown) =>
  consoleApi<CancelJobsAnswer & Problem>("/api/jobs/cancel", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("the console list by ids", () => {
  it("answers exactly the named jobs, and only those that also match the other filters", async () => {
    const tag = uniqueName("by-ids");
    const done = await submitImport(`${tag} done`, { "a.mp4": "https://media.example.com/a.mp4" });
    const broken = await submitImport(`${tag} broken`, { "b.mp4": "https://media.example.com/fail/b.mp4", "c.mp4": "https://media.example.com/c.mp4" });
    await submitImport(`${tag} other`, { "d.mp4": "https://media.example.com/d.mp4" });
    await waitForDetail(broken.localId, (job) => job.state === "stopped", "the partial import to stop");
    await waitForDetail(done.localId, (job) => job.state === "stopped", "the import to stop");

    const both = await list({ ids: `${done.localId},${broken.localId}` });
    expect(both.status).toBe(200);
    expect(both.body.data.map((job) => job.id).sort()).toEqual([done.localId, broken.localId].sort());

    const partialOnly = await list({ ids: `${done.localId},${broken.localId}`, outcome: "partial" });
    expect(partialOnly.body.data.map((job) => job.id)).toEqual([broken.localId]);
    expect(partialOnly.body.data[0]?.fileCounts).toMatchObject({ total: 2, failed: 1, succeeded: 1 });

    const unknown = await list({ ids: crypto.randomUUID() });
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toEqual([]);
  });

  it("refuses ids that are not uuids, an empty list and more than 100 ids, with problem+json", async () => {
    const notUuid = await list({ ids: `${crypto.randomUUID()},nope` });
    expect(notUuid.status).toBe(400);
    expect(notUuid.headers.get("content-type")).toContain("application/problem+json");
    expect(notUuid.body).toMatchObject({ code: "invalid_input" });
    expect(notUuid.body.invalidParams?.[0]?.name).toBe("ids.1");

    expect((await list({ ids: "" })).status).toBe(400);
    expect((await list({ ids: ",," })).status).toBe(400);

    const tooMany = await list({ ids: Array.from({ length: 101 }, () => crypto.randomUUID()).join(",") });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.invalidParams?.[0]?.name).toBe("ids");
    expect((await list({ ids: Array.from({ length: 100 }, () => crypto.randomUUID()).join(",") })).status).toBe(200);
  });
});

describe("bulk cancel", () => {
  it("cancels exactly the named jobs, answers per id, and puts the reason on each timeline", async () => {
    const tag = uniqueName("bulk #stall");
    const first = await submitImport(`${tag} 1`, { "a.mp4": "https://media.example.com/a.mp4" });
    const second = await submitImport(`${tag} 2`, { "a.mp4": "https://media.example.com/a.mp4" });
    const untouched = await submitImport(`${tag} 3`, { "a.mp4": "https://media.example.com/a.mp4" });
    const finished = await submitImport(uniqueName("bulk done"), { "a.mp4": "https://media.example.com/a.mp4" });
    await waitForDetail(finished.localId, (job) => job.state === "stopped", "the import to stop");
    const missing = crypto.randomUUID();

    const answer = await cancelMany({ ids: [first.localId, finished.localId, second.localId, missing], reason: "wrong footage" });
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((result) => result.id)).toEqual([first.localId, finished.localId, second.localId, missing]);
    const [one, done, two, gone] = answer.body.results;
    expect(one).toMatchObject({ ok: true, job: { id: first.localId } });
    expect(two).toMatchObject({ ok: true, job: { id: second.localId } });
    expect(done).toMatchObject({ ok: false, error: { code: "conflict", status: 409 } });
    expect(gone).toMatchObject({ ok: false, error: { code: "not_found", status: 404 } });

    for (const { localId } of [first, second]) {
      const job = await waitForDetail(localId, (detail) => detail.state === "cancelled", "the job to end cancelled");
      expect(job.cancelReason).toBe("wrong footage");
      expect(job.events.find((event) => event.kind === "cancel_requested")?.message).toContain("wrong footage");
    }
    const other = await getDetail(untouched.localId);
    expect(other.state === "queued" || other.state === "running").toBe(true);
    expect(other.events.some((event) => event.kind === "cancel_requested")).toBe(false);
    expect((await getDetail(finished.localId)).state).toBe("stopped");
  });

  it("validates the body with one error shape: no ids, repeated ids, a bad id, an unknown field, not JSON", async () => {
    const id = crypto.randomUUID();
    const cases: Array<[unknown, string]> = [
      [{ ids: [] }, "ids"],
      [{ ids: [id, id] }, "ids"],
      [{ ids: ["nope"] }, "ids.0"],
      [{ ids: [id], reason: "x".repeat(501) }, "reason"],
      [{ ids: [id], force: true }, "request"],
      [{ reason: "no ids" }, "ids"],
    ];
    for (const [body, name] of cases) {
      const answer = await cancelMany(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
      expect(answer.body).toMatchObject({ code: "invalid_input", status: 400 });
      expect(answer.body.invalidParams?.[0]?.name, JSON.stringify(body)).toBe(name);
    }
    const notJson = await cancelMany("{ids:");
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ code: "invalid_input" });
  });
});
