// Finding 4 and part of 10 of issue #11, written as the attack: an upstream that echoes what it was
// sent, the token and Jobdeck's callback URL included, must leak neither anywhere.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { signCallbackToken } from "@/lib/jobs/callback-token";
import { redactText, redactUpstreamError } from "@/lib/server/redact";
import { callbackUrl, proxyPost } from "../../support/jobs";
import { appFetch, appLogFile, callbackSecret, databaseUrl, sandboxControl, sandboxToken, uniqueName, withDatabase } from "../../support/stack";

const CALLBACK_PATH = "/api/callbacks/descript/";

describe("redaction at the boundary", () => {
  it("scrubs every secret Jobdeck holds, in every form it may travel in", () => {
    const signedUrl = callbackUrl("00000000-0000-4000-8000-000000000000");
    const withCredentials = new URL(databaseUrl);
    withCredentials.username = "jobdeck";
    withCredentials.password = "db-password-42";
    const text = [
      `Authorization: Bearer ${sandboxToken}`,
      `token=${encodeURIComponent(sandboxToken)}`,
      `raw ${sandboxToken} and ${JSON.stringify(sandboxToken)}`,
      `secret ${callbackSecret}`,
      `callback ${signedUrl}?x=1`,
      `database ${withCredentials}`,
      `relay https://user:relay-password@hooks.example.com/x`,
      "Bearer some-other-token",
    ].join("\n");
    const scrubbed = redactText(text);
    for (const secret of [sandboxToken, encodeURIComponent(sandboxToken), callbackSecret, signedUrl.split(CALLBACK_PATH)[1]!, "db-password-42", "relay-password", "some-other-token"]) {
      expect(scrubbed).not.toContain(secret);
    }
    // What is not secret stays readable.
    expect(scrubbed).toContain("hooks.example.com/x");
    expect(scrubbed).toContain(CALLBACK_PATH);
  });

  it("reduces an upstream error body to Descript's {error, message}", () => {
    expect(redactUpstreamError({ error: "unauthorized", message: `bad ${sandboxToken}`, headers: { authorization: sandboxToken } })).toEqual({
      error: "unauthorized",
      message: "bad [redacted]",
    });
    expect(redactUpstreamError("<html>502 Bad Gateway</html>")).toEqual({ error: "upstream_error", message: "Descript answered with an error." });
    expect(redactUpstreamError(null)).toBeNull();
  });

  it("an upstream 401 echoing the token and callback URL leaks them into no answer, row, timeline or log", async () => {
    const projectName = uniqueName("echo");
    // Aimed at the one request each, or the worker's polls could meet the fault first.
    await sandboxControl("faults", { status: 401, count: 1, echo_request: true, method: "POST", path_prefix: "/jobs/import" });
    const created = await proxyPost("/jobs/import/project_media", { project_name: projectName, add_media: { "a.mp4": { url: "https://media.example.com/a.mp4" } } });
    expect(created.status).toBe(401);
    expect(created.body).toEqual({ error: "unauthorized", message: "Rejected Bearer [redacted]" });

    await sandboxControl("faults", { status: 401, count: 1, echo_request: true, method: "GET", path_prefix: "/status" });
    const status = await appFetch(`/api/v1/status`);
    const statusText = await status.text();
    expect(status.status).toBe(401);

    const [job] = await withDatabase(async (db) => (await db.query("SELECT id, state, error_message FROM jobs WHERE project_name = $1", [projectName])).rows);
    expect(job).toMatchObject({ state: "rejected", error_message: expect.stringContaining("[redacted]") });
    const stored = await withDatabase(async (db) => {
      const jobs = await db.query("SELECT * FROM jobs WHERE id = $1", [job.id]);
      const events = await db.query("SELECT * FROM job_events WHERE job_id = $1", [job.id]);
      return JSON.stringify([jobs.rows, events.rows]);
    });
    const timeline = await (await appFetch(`/api/jobs/${job.id}`)).text();
    const logs = appLogFile && fs.existsSync(appLogFile) ? fs.readFileSync(appLogFile, "utf8") : null;
    expect(logs, "the app's log file (JOBDECK_APP_LOG) must exist to be checked").not.toBeNull();
    const jobCallbackToken = signCallbackToken(job.id, callbackSecret);
    for (const [where, text] of Object.entries({ answer: JSON.stringify(created.body), status: statusText, stored, timeline, logs: logs! })) {
      expect(text, where).not.toContain(sandboxToken);
      expect(text, where).not.toContain(jobCallbackToken);
      expect(text, where).not.toContain(callbackSecret);
    }
  });
});
