// Findings 1 and 8 of issue #11, written as the attacks: a huge import that must still finish, and
// requests whose counts and strings would have no bound.
import { describe, expect, it } from "vitest";
import { REQUEST_LIMITS } from "@/lib/descript/schemas";
import { getDetail, postCallback, proxyPost, submitImport } from "../../support/jobs";
import { sandboxToken, sandboxUrl, uniqueName, withDatabase } from "../../support/stack";

const FILES = 15_000;

describe("a 15,000-file import", () => {
  it("is accepted, and its final callback is applied in one delivery", async () => {
    const names = Array.from({ length: FILES }, (_, index) => `f${String(index).padStart(5, "0")}.mp4`);
    // #stall: the sandbox keeps it running, so the final delivery below is the only one.
    const media = Object.fromEntries(names.map((name) => [name, `https://m.example.com/${name}`]));
    const { localId, upstreamJobId } = await submitImport(uniqueName("huge #stall"), media);

    const stoppedAt = new Date().toISOString();
    const delivery = {
      job_id: upstreamJobId,
      job_type: "import/project_media",
      job_state: "stopped",
      created_at: stoppedAt,
      stopped_at: stoppedAt,
      result: {
        status: "partial",
        media_status: Object.fromEntries(
          names.map((name, index) => [name, index % 1000 === 0 ? { status: "failed", error_message: "unsupported codec" } : { status: "success", duration_seconds: 12.5 }]),
        ),
      },
    };
    const response = await postCallback(localId, delivery);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, verdict: "applied" });

    const files = await withDatabase(async (db) => (await db.query("SELECT status, count(*)::int AS n FROM job_files WHERE job_id = $1 GROUP BY status ORDER BY status", [localId])).rows);
    expect(files).toEqual([
      { status: "success", n: FILES - FILES / 1000 },
      { status: "failed", n: FILES / 1000 },
    ]);
    const job = await getDetail(localId);
    expect(job).toMatchObject({ state: "stopped", outcome: "partial" });
  });
});

describe("limits on what a request may carry", () => {
  const addMedia = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`m${index}`, { url: "https://m.co/x" }]));
  const overCap = { project_name: "too many", add_media: addMedia(REQUEST_LIMITS.addMedia + 1) };
  const longName = { project_name: "x".repeat(REQUEST_LIMITS.text + 1), add_media: addMedia(1) };
  const longPrompt = { project_name: "p", prompt: "x".repeat(REQUEST_LIMITS.prompt + 1) };

  it.each([
    ["import/project_media", overCap, `"add_media" must have less than or equal to ${REQUEST_LIMITS.addMedia} keys`],
    ["import/project_media", longName, `"project_name" length must be less than or equal to ${REQUEST_LIMITS.text} characters long`],
    ["agent", longPrompt, `"prompt" length must be less than or equal to ${REQUEST_LIMITS.prompt} characters long`],
  ])("refuse a %s request beyond them with a clear 400, as the sandbox does", async (type, body, message) => {
    const before = await withDatabase(async (db) => (await db.query("SELECT count(*)::int AS n FROM jobs")).rows[0].n);
    const answer = await proxyPost(`/jobs/${type}`, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: "invalid_input", message });
    // The sandbox reads the same schemas, so it agrees word for word.
    const upstream = await fetch(`${sandboxUrl}/jobs/${type}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${sandboxToken}` },
      body: JSON.stringify(body),
    });
    expect(upstream.status).toBe(400);
    expect(await upstream.json()).toEqual({ error: "invalid_input", message });
    expect(await withDatabase(async (db) => (await db.query("SELECT count(*)::int AS n FROM jobs")).rows[0].n)).toBe(before);
  });
});
