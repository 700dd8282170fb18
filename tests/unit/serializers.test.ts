import { describe, expect, test } from "vitest";
import { upstreamJobSchema } from "@/lib/descript/schemas";
import {
  countFiles,
  decodeCursor,
  encodeCursor,
  toJobDetail,
  toJobSummary,
  toUpstreamJob,
  type JobRowForView,
} from "@/lib/jobs/serializers";

const CREATED = new Date("2025-04-01T09:00:00.000Z");
const UPDATED = new Date("2025-04-01T09:05:00.000Z");
const UPSTREAM_CREATED = new Date("2025-04-01T09:00:02.500Z");
const UPSTREAM_STOPPED = new Date("2025-04-01T09:04:59.000Z");
const PROGRESS_AT = new Date("2025-04-01T09:03:00.000Z");
const CANCEL_AT = new Date("2025-04-01T09:04:00.000Z");

type FileRow = JobRowForView["files"][number];

function file(reference: string, status: FileRow["status"]): FileRow {
  return { reference, sourceUrl: null, status, durationSeconds: null, errorMessage: null };
}

/** A job row with every optional column empty; tests fill in what they are about. */
function row(overrides: Partial<JobRowForView> = {}): JobRowForView {
  return {
    id: "5b1d3c2a-9e8f-4a7b-b6c5-d4e3f2a1b0c9",
    upstreamJobId: "up-job-1",
    type: "import/project_media",
    state: "queued",
    upstreamState: "queued",
    outcome: null,
    driveId: null,
    projectId: null,
    projectName: null,
    projectUrl: null,
    progressLabel: null,
    progressPercent: null,
    progressUpdatedAt: null,
    result: null,
    errorMessage: null,
    errorCode: null,
    mediaSecondsUsed: null,
    aiCreditsUsed: null,
    request: {},
    submittedBy: "console",
    submitterId: null,
    clientCallbackUrl: null,
    cancelReason: null,
    cancelRequestedAt: null,
    upstreamCreatedAt: null,
    upstreamStoppedAt: null,
    createdAt: CREATED,
    updatedAt: UPDATED,
    files: [],
    ...overrides,
  };
}

function upstream(overrides: Partial<JobRowForView> = {}) {
  const job = row(overrides);
  return toUpstreamJob({ ...job, upstreamJobId: job.upstreamJobId ?? "up-job-1" });
}

const RESULT = { status: "success", media_seconds_used: 42, media_status: { "a.mp4": { status: "success", duration_seconds: 42 } } };

describe("toUpstreamJob", () => {
  test("a bare queued job has only the required fields, created_at falling back to createdAt", () => {
    expect(upstream()).toEqual({
      job_id: "up-job-1",
      job_type: "import/project_media",
      job_state: "queued",
      created_at: CREATED.toISOString(),
    });
  });

  test("created_at is upstream's creation time when known", () => {
    expect(upstream({ upstreamCreatedAt: UPSTREAM_CREATED }).created_at).toBe(UPSTREAM_CREATED.toISOString());
  });

  test("a job whose upstream state is unknown reads as queued", () => {
    expect(upstream({ upstreamState: null }).job_state).toBe("queued");
  });

  test("optional fields appear only when set", () => {
    const full = upstream({
      driveId: "drive-1",
      projectId: "proj-1",
      projectUrl: "https://web.descript.com/proj-1",
      upstreamState: "cancelled",
      state: "cancelled",
      upstreamStoppedAt: UPSTREAM_STOPPED,
    });
    expect(full).toMatchObject({
      drive_id: "drive-1",
      project_id: "proj-1",
      project_url: "https://web.descript.com/proj-1",
      stopped_at: UPSTREAM_STOPPED.toISOString(),
    });
    const bare = upstream();
    for (const key of ["drive_id", "project_id", "project_url", "stopped_at", "progress", "result"]) {
      expect(bare).not.toHaveProperty(key);
    }
  });

  test("a running job carries its progress with label, percent and last_update_at", () => {
    const job = upstream({
      state: "running",
      upstreamState: "running",
      progressLabel: "Transcribing",
      progressPercent: 40,
      progressUpdatedAt: PROGRESS_AT,
    });
    expect(job.progress).toEqual({ label: "Transcribing", percent: 40, last_update_at: PROGRESS_AT.toISOString() });
  });

  test("a running job's progress omits percent and last_update_at when they are not known", () => {
    const job = upstream({ state: "running", upstreamState: "running", progressLabel: "Starting" });
    expect(job.progress).toEqual({ label: "Starting" });
  });

  test("a progress percent of 0 is kept", () => {
    const job = upstream({ state: "running", upstreamState: "running", progressLabel: "Starting", progressPercent: 0 });
    expect(job.progress).toEqual({ label: "Starting", percent: 0 });
  });

  test("a running job without a progress label has no progress", () => {
    expect(upstream({ state: "running", upstreamState: "running", progressPercent: 10 })).not.toHaveProperty("progress");
  });

  test.each(["queued", "stopped", "cancelled"] as const)("a %s job has no progress even when some is stored", (state) => {
    const job = upstream({
      state,
      upstreamState: state,
      progressLabel: "Transcribing",
      progressPercent: 99,
      progressUpdatedAt: PROGRESS_AT,
    });
    expect(job).not.toHaveProperty("progress");
  });

  test("a stopped job carries its result", () => {
    const job = upstream({ state: "stopped", upstreamState: "stopped", result: RESULT, upstreamStoppedAt: UPSTREAM_STOPPED });
    expect(job.result).toEqual(RESULT);
    expect(job.job_state).toBe("stopped");
  });

  test.each(["queued", "running", "cancelled"] as const)("a %s job has no result even when one is stored", (state) => {
    expect(upstream({ state, upstreamState: state, progressLabel: "x", result: RESULT })).not.toHaveProperty("result");
  });

  test("a stopped job without a stored result has no result field", () => {
    expect(upstream({ state: "stopped", upstreamState: "stopped", result: null })).not.toHaveProperty("result");
  });

  test("the job state shown is upstream's, not the console's", () => {
    // A cancel requested in the console is still running upstream until upstream says otherwise.
    const job = upstream({ state: "cancel_requested", upstreamState: "running", progressLabel: "Rendering" });
    expect(job.job_state).toBe("running");
    expect(job.progress).toEqual({ label: "Rendering" });
  });

  test("what it produces satisfies Descript's own job schema", () => {
    const job = upstream({
      state: "stopped",
      upstreamState: "stopped",
      driveId: "drive-1",
      projectId: "proj-1",
      projectUrl: "https://web.descript.com/proj-1",
      upstreamCreatedAt: UPSTREAM_CREATED,
      upstreamStoppedAt: UPSTREAM_STOPPED,
      result: RESULT,
    });
    expect(upstreamJobSchema.safeParse(job).error?.issues).toBeUndefined();
  });
});

/** A summary of a full row, its file counts counted as the list's SQL counts them. */
const summarize = (job: JobRowForView) => toJobSummary({ ...job, fileCounts: countFiles(job.files) });

describe("countFiles", () => {
  test("counts files by status", () => {
    const files = [file("a", "success"), file("b", "success"), file("c", "failed"), file("d", "pending"), file("e", "success")];
    expect(countFiles(files)).toEqual({ total: 5, succeeded: 3, failed: 1, pending: 1 });
  });

  test("a job without files counts zero of each", () => {
    expect(countFiles([])).toEqual({ total: 0, succeeded: 0, failed: 0, pending: 0 });
  });
});

describe("toJobSummary", () => {
  test("shows the counts it is given", () => {
    const counts = { total: 15_000, succeeded: 14_990, failed: 7, pending: 3 };
    expect(toJobSummary({ ...row(), fileCounts: counts }).fileCounts).toEqual(counts);
  });

  test("a running job with a progress label shows its progress", () => {
    const summary = summarize(
      row({ state: "running", upstreamState: "running", progressLabel: "Uploading", progressPercent: 55, progressUpdatedAt: PROGRESS_AT }),
    );
    expect(summary.progress).toEqual({ label: "Uploading", percent: 55, updatedAt: PROGRESS_AT.toISOString() });
  });

  test("a running job's progress shows unknown percent and time as null", () => {
    const summary = summarize(row({ state: "running", upstreamState: "running", progressLabel: "Uploading" }));
    expect(summary.progress).toEqual({ label: "Uploading", percent: null, updatedAt: null });
  });

  test("a running job without a progress label shows no progress", () => {
    expect(summarize(row({ state: "running", upstreamState: "running", progressPercent: 5 })).progress).toBeNull();
  });

  test.each(["submitting", "queued", "cancel_requested", "stopped", "cancelled", "rejected"] as const)(
    "a %s job shows no progress even when some is stored",
    (state) => {
      expect(summarize(row({ state, progressLabel: "Rendering", progressPercent: 80 })).progress).toBeNull();
    },
  );

  test("dates become ISO strings and missing dates null", () => {
    const summary = summarize(
      row({ cancelRequestedAt: CANCEL_AT, upstreamCreatedAt: UPSTREAM_CREATED, upstreamStoppedAt: null }),
    );
    expect(summary.createdAt).toBe(CREATED.toISOString());
    expect(summary.updatedAt).toBe(UPDATED.toISOString());
    expect(summary.cancelRequestedAt).toBe(CANCEL_AT.toISOString());
    expect(summary.upstreamCreatedAt).toBe(UPSTREAM_CREATED.toISOString());
    expect(summary.upstreamStoppedAt).toBeNull();
  });

  test("identity, project and error fields are carried over as they are", () => {
    const summary = summarize(
      row({
        upstreamJobId: null,
        state: "rejected",
        outcome: "error",
        projectId: "proj-9",
        projectName: "Podcast",
        projectUrl: "https://web.descript.com/proj-9",
        errorMessage: "Descript answered 400",
        submittedBy: "api",
      }),
    );
    expect(summary).toMatchObject({
      id: "5b1d3c2a-9e8f-4a7b-b6c5-d4e3f2a1b0c9",
      upstreamJobId: null,
      type: "import/project_media",
      state: "rejected",
      outcome: "error",
      projectId: "proj-9",
      projectName: "Podcast",
      projectUrl: "https://web.descript.com/proj-9",
      errorMessage: "Descript answered 400",
      submittedBy: "api",
    });
  });
});

describe("toJobDetail", () => {
  const LINKS = { eventsNextCursor: null, reimportIds: ["b"], expiresAt: UPDATED };

  test("adds the request, result, files and events to the summary, event ids as strings", () => {
    const job = row({
      state: "stopped",
      result: RESULT,
      clientCallbackUrl: "https://client.example.com/hook",
      files: [{ reference: "a.mp4", sourceUrl: "https://cdn.example.com/a.mp4", status: "success", durationSeconds: 42, errorMessage: null }],
    });
    const detail = toJobDetail(job, [
      {
        id: 9_007_199_254_740_993n,
        kind: "callback_received",
        verdict: "applied",
        payload: { job_state: "stopped" },
        headers: { "content-type": "application/json" },
        httpStatus: null,
        message: "stopped/success: applied",
        createdAt: UPDATED,
      },
    ], LINKS);
    expect(detail).toMatchObject({ ...summarize(job), result: RESULT, hasClientCallback: true, reimportIds: ["b"], expiresAt: UPDATED.toISOString(), eventsNextCursor: null, droppedEvents: 0 });
    expect(detail.files).toEqual(job.files);
    expect(detail.events).toEqual([
      {
        id: "9007199254740993",
        kind: "callback_received",
        verdict: "applied",
        payload: { job_state: "stopped" },
        headers: { "content-type": "application/json" },
        httpStatus: null,
        message: "stopped/success: applied",
        createdAt: UPDATED.toISOString(),
      },
    ]);
  });

  test("a job without a client callback says so", () => {
    expect(toJobDetail(row(), [], LINKS).hasClientCallback).toBe(false);
  });
});

describe("keyset cursors", () => {
  const id = "5b1d3c2a-9e8f-4a7b-b6c5-d4e3f2a1b0c9";

  test("a cursor decodes to the time and id it was made from", () => {
    const at = new Date("2025-04-01T09:00:00.123Z");
    const decoded = decodeCursor(encodeCursor("created_desc", at, id), "created_desc");
    expect(decoded).toEqual({ at, id });
    expect(decoded!.at.getTime()).toBe(at.getTime());
  });

  test("a cursor is URL-safe", () => {
    expect(encodeCursor("created_desc", new Date("2025-04-01T09:00:00.000Z"), id)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test("a cursor made for one order is refused by another", () => {
    const cursor = encodeCursor("created_desc", new Date(0), id);
    expect(decodeCursor(cursor, "created_asc")).toBeNull();
  });

  const b64 = (text: string) => Buffer.from(text).toString("base64url");
  const time = "2025-04-01T09:00:00.000Z";

  test.each([
    { name: "an empty string", cursor: "" },
    { name: "plain words", cursor: "not a cursor" },
    { name: "base64 of text that is not JSON", cursor: b64("hello") },
    { name: "base64 of a JSON object", cursor: b64(JSON.stringify({ at: time, id })) },
    { name: "base64 of the old two-element form", cursor: b64(JSON.stringify([time, id])) },
    { name: "base64 of an array with a numeric time", cursor: b64(JSON.stringify(["created_desc", 1_700_000_000_000, id])) },
    { name: "base64 of an array with a numeric id", cursor: b64(JSON.stringify(["created_desc", time, 7])) },
    { name: "base64 of an array with an id that is not a uuid", cursor: b64(JSON.stringify(["created_desc", time, "-".repeat(36)])) },
    { name: "base64 of an array with an unparseable time", cursor: b64(JSON.stringify(["created_desc", "yesterday", id])) },
    { name: "base64 of null", cursor: b64("null") },
  ])("$name decodes to null", ({ cursor }) => {
    expect(decodeCursor(cursor, "created_desc")).toBeNull();
  });
});
