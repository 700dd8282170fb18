import { describe, expect, it } from "vitest";
import { signCallbackToken } from "@/lib/jobs/callback-token";
import { callbackEvents, callbackUrl, getDetail, postCallback, submitImport, waitForDetail } from "../../support/jobs";
import { uniqueName, waitFor, withDatabase } from "../../support/stack";

const media = (name: string) => `https://media.example.com/${name}`;

async function rowSnapshot(localId: string) {
  return withDatabase(async (db) => {
    const job = await db.query("SELECT state, outcome, version, result, updated_at FROM jobs WHERE id = $1", [localId]);
    const files = await db.query("SELECT reference, status FROM job_files WHERE job_id = $1 ORDER BY reference", [localId]);
    return { job: job.rows[0], files: files.rows };
  });
}

describe("callbacks from Descript", () => {
  it("settle a three-file import with one failing file as stopped/partial with the failed file marked", async () => {
    const { localId } = await submitImport(uniqueName("partial"), {
      "one.mp4": media("one.mp4"),
      "two.mp4": media("fail/two.mp4"),
      "three.mp4": media("three.mp4"),
    });
    const job = await waitForDetail(localId, (job) => job.state === "stopped", "the import to stop");
    expect(job.outcome).toBe("partial");
    expect(job.files).toHaveLength(3);
    const byName = Object.fromEntries(job.files.map((file) => [file.reference, file]));
    expect(byName["two.mp4"]).toMatchObject({ status: "failed" });
    expect(byName["two.mp4"]?.errorMessage).toBeTruthy();
    expect(byName["one.mp4"]).toMatchObject({ status: "success" });
    expect(byName["three.mp4"]).toMatchObject({ status: "success" });
    expect(byName["one.mp4"]?.durationSeconds).toBeGreaterThan(0);
    expect(job.fileCounts).toEqual({ total: 3, succeeded: 2, failed: 1, pending: 0 });
    expect(callbackEvents(job).map((event) => event.verdict)).toEqual(["applied"]);
  });

  it("apply a callback delivered five times once and record four duplicates", async () => {
    const { localId } = await submitImport(uniqueName("dup #dup=5"), { "a.mp4": media("a.mp4") });
    const job = await waitForDetail(localId, (job) => callbackEvents(job).length === 5, "five deliveries");
    const verdicts = callbackEvents(job).map((event) => event.verdict);
    expect(verdicts.filter((verdict) => verdict === "applied")).toHaveLength(1);
    expect(verdicts.filter((verdict) => verdict === "duplicate")).toHaveLength(4);
    expect(job.state).toBe("stopped");
    expect(job.outcome).toBe("success");
  });

  it("land a callback that arrives before the create answer on the right job", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("early #early"), { "a.mp4": media("a.mp4") });
    const job = await getDetail(localId);
    expect(job.state).toBe("stopped");
    expect(job.upstreamJobId).toBe(upstreamJobId);
    const kinds = job.events.map((event) => `${event.kind}:${event.verdict}`);
    // The callback was applied first; the create answer that followed changed no state.
    expect(kinds.indexOf("callback_received:applied")).toBeLessThan(kinds.indexOf("upstream_answered:stale"));
    expect(kinds).toContain("upstream_answered:stale");
  });

  it("refuse a forged callback URL with 401 and change nothing", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("forged #stall"), { "a.mp4": media("a.mp4") });
    const before = await rowSnapshot(localId);
    const eventsBefore = (await getDetail(localId)).events.length;
    const forgedBody = {
      job_id: upstreamJobId,
      job_type: "import/project_media",
      job_state: "stopped",
      created_at: new Date().toISOString(),
      stopped_at: new Date().toISOString(),
      result: { status: "error", error_message: "forged" },
    };
    const wrongSecret = signCallbackToken(localId, "x".repeat(40));
    for (const token of [wrongSecret, `${localId}.`, localId, "garbage", `${localId}.${"A".repeat(43)}`]) {
      const answer = await postCallback(localId, forgedBody, { token });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ code: "unauthorized", status: 401 });
    }
    expect(await rowSnapshot(localId)).toEqual(before);
    expect((await getDetail(localId)).events).toHaveLength(eventsBefore);
  });

  it("answer 2xx rejected to a malformed or non-job body, so it is not retried, keeping the job as it was", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("malformed #stall"), { "a.mp4": media("a.mp4") });
    const before = await rowSnapshot(localId);
    for (const body of ["{not json", "", JSON.stringify({ hello: "world" }), JSON.stringify({ job_id: upstreamJobId, job_state: "exploded" })]) {
      const answer = await postCallback(localId, body);
      expect(answer).toEqual({ status: 200, body: { received: true, verdict: "rejected" } });
    }
    expect(await rowSnapshot(localId)).toEqual(before);
    const rejected = (await getDetail(localId)).events.filter((event) => event.verdict === "rejected");
    expect(rejected).toHaveLength(4);
  });

  it("answer 413 to a body over 8 MiB", async () => {
    const { localId } = await submitImport(uniqueName("large #stall"), { "a.mp4": media("a.mp4") });
    const before = await rowSnapshot(localId);
    const answer = await postCallback(localId, JSON.stringify({ padding: "x".repeat(8 * 1024 * 1024 + 10) }));
    expect(answer.status).toBe(413);
    expect(await rowSnapshot(localId)).toEqual(before);
  });

  it("reject a callback that names another job", async () => {
    const { localId } = await submitImport(uniqueName("mismatch #stall"), { "a.mp4": media("a.mp4") });
    const before = await rowSnapshot(localId);
    const answer = await postCallback(localId, {
      job_id: "project-media-import-00000000-0000-4000-8000-000000000000",
      job_type: "import/project_media",
      job_state: "stopped",
      created_at: new Date().toISOString(),
      result: { status: "success", media_status: {} },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ verdict: "rejected" });
    expect(await rowSnapshot(localId)).toEqual(before);
  });

  it("record a late running report after the job stopped as stale and keep the final state", async () => {
    const { localId, upstreamJobId } = await submitImport(uniqueName("late"), { "a.mp4": media("a.mp4") });
    await waitForDetail(localId, (job) => job.state === "stopped", "the import to stop");
    const before = await rowSnapshot(localId);
    const answer = await postCallback(localId, {
      job_id: upstreamJobId,
      job_type: "import/project_media",
      job_state: "running",
      created_at: new Date().toISOString(),
      progress: { label: "Transcribing", percent: 40, last_update_at: new Date().toISOString() },
    });
    expect(answer.body).toMatchObject({ verdict: "stale" });
    expect(await rowSnapshot(localId)).toEqual(before);
  });

  it("announce every change of a job on the LISTEN/NOTIFY channel", async () => {
    const notifications: Array<{ id: string; state: string; version: number }> = [];
    await withDatabase(async (db) => {
      db.on("notification", (message) => notifications.push(JSON.parse(message.payload ?? "{}")));
      await db.query("LISTEN jobdeck_job_changes");
      const { localId } = await submitImport(uniqueName("notify"), { "a.mp4": media("a.mp4") });
      const mine = () => notifications.filter((note) => note.id === localId);
      await waitFor(async () => (mine().some((note) => note.state === "stopped") ? true : undefined), { what: "the stop to be announced" });
      const states = mine().map((note) => note.state);
      expect(states[0]).toBe("submitting");
      expect(states).toContain("queued");
      expect(states.at(-1)).toBe("stopped");
      const versions = mine().map((note) => note.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBeGreaterThanOrEqual(3);
    });
  });

  it("converge on the same row whatever order the same deliveries arrive in", async () => {
    // #drop: upstream never calls back, so these hand-made deliveries are the only ones.
    const jobs = await Promise.all([1, 2].map(() => submitImport(uniqueName("order #drop"), { "a.mp4": media("a.mp4") })));
    const deliveriesFor = (upstreamJobId: string) => {
      const base = { job_id: upstreamJobId, job_type: "import/project_media", created_at: "2026-01-01T00:00:00.000Z", project_url: "https://web.descript.com/p" };
      return [
        { ...base, job_state: "running", progress: { label: "Transcribing", percent: 20, last_update_at: "2026-01-01T00:00:01.000Z" } },
        { ...base, job_state: "running", progress: { label: "Finishing", percent: 80, last_update_at: "2026-01-01T00:00:02.000Z" } },
        {
          ...base,
          job_state: "stopped",
          stopped_at: "2026-01-01T00:00:03.000Z",
          result: { status: "success", media_status: { "a.mp4": { status: "success", duration_seconds: 12.5 } }, media_seconds_used: 12.5 },
        },
      ];
    };
    const [inOrder, reversed] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];
    for (const delivery of deliveriesFor(inOrder.upstreamJobId)) await postCallback(inOrder.localId, delivery);
    for (const delivery of deliveriesFor(reversed.upstreamJobId).reverse()) await postCallback(reversed.localId, delivery);
    const comparable = (localId: string) =>
      withDatabase(async (db) => {
        const job = await db.query(
          `SELECT state, upstream_state, outcome, progress_label, progress_percent, progress_updated_at, result, error_message,
                  media_seconds_used, upstream_created_at, upstream_stopped_at, project_url FROM jobs WHERE id = $1`,
          [localId],
        );
        const files = await db.query("SELECT reference, status, duration_seconds, error_message FROM job_files WHERE job_id = $1 ORDER BY reference", [localId]);
        return { job: job.rows[0], files: files.rows };
      });
    const a = await comparable(inOrder.localId);
    expect(a.job).toMatchObject({ state: "stopped", outcome: "success", progress_label: null });
    expect(await comparable(reversed.localId)).toEqual(a);
  });

  it("decide deliveries that race for one job one after another: the newest progress wins and none is lost", async () => {
    // Each delivery is read, decided and written only if the row is unchanged; one that loses the
    // race is decided again under the row lock. Without that, an older report written last would win.
    const { localId, upstreamJobId } = await submitImport(uniqueName("race #drop"), { "a.mp4": media("a.mp4") });
    const steps = Array.from({ length: 40 }, (_, index) => index + 1);
    const answers = await Promise.all(
      steps.map((step) =>
        postCallback(localId, {
          job_id: upstreamJobId,
          job_type: "import/project_media",
          job_state: "running",
          created_at: "2026-01-01T00:00:00.000Z",
          progress: { label: `step ${step}`, percent: step, last_update_at: new Date(Date.UTC(2026, 0, 1, 0, 0, step)).toISOString() },
        }),
      ),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const applied = answers.filter((answer) => answer.body?.verdict === "applied").length;
    const row = await withDatabase(async (db) => (await db.query("SELECT progress_label, progress_percent, version FROM jobs WHERE id = $1", [localId])).rows[0]);
    expect(row).toMatchObject({ progress_label: "step 40", progress_percent: 40 });
    const job = await getDetail(localId);
    expect(callbackEvents(job)).toHaveLength(steps.length);
    expect(callbackEvents(job).filter((event) => event.verdict === "applied")).toHaveLength(applied);
    // Applied reports were written in the order of their stamps: each applied one is newer than the last.
    const appliedSteps = callbackEvents(job).filter((event) => event.verdict === "applied").map((event) => Number(/step (\d+)/.exec(JSON.stringify(event.payload))?.[1]));
    expect(appliedSteps).toEqual([...appliedSteps].sort((a, b) => a - b));
  });

  it("are answered by the node:http listener in front of Next, while other methods on the path stay Next's", async () => {
    // Next marks each of its answers with its router's Vary header; the listener's answers do not carry it.
    const path = callbackUrl(crypto.randomUUID(), "y".repeat(40));
    const listened = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(listened.status).toBe(401);
    expect(listened.headers.get("vary") ?? "").not.toMatch(/rsc/);
    expect(listened.headers.get("x-request-id")).toBeTruthy();
    const byNext = await fetch(path, { method: "PUT" });
    expect(byNext.status).toBe(405);
    expect(byNext.headers.get("vary") ?? "").toMatch(/rsc/);
  });
});
