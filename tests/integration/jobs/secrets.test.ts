import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { proxyPost, submitImport, waitForDetail } from "../../support/jobs";
import { startReceiver } from "../../support/receiver";
import { appFetch, appLogFile, appUrl, callbackSecret, consoleApi, sandboxControl, sandboxToken, uniqueName, withDatabase } from "../../support/stack";

describe("secrets", () => {
  it("the upstream token and the callback secret appear in no response, log line or stored row", async () => {
    const answers: string[] = [];
    const keep = async (response: Response) => {
      answers.push(JSON.stringify([...response.headers]) + (await response.text()));
    };
    // Every path a job takes: success with relay, partial, error, rejected create, cancel, bad callbacks.
    const receiver = await startReceiver([]);
    const ok = await submitImport(uniqueName("secret"), { "a.mp4": "https://media.example.com/a.mp4" }, { callback_url: receiver.url });
    const failed = await submitImport(uniqueName("secret #error"), { "b.mp4": "https://media.example.com/fail/b.mp4" });
    const stalled = await submitImport(uniqueName("secret #stall"), { "c.mp4": "https://media.example.com/c.mp4" });
    await sandboxControl("faults", { status: 500, count: 1, method: "POST", path_prefix: "/jobs/agent" });
    answers.push(JSON.stringify(await proxyPost("/jobs/agent", { project_name: uniqueName("secret"), prompt: "go" })));
    answers.push(JSON.stringify(await proxyPost("/jobs/import/project_media", { project_name: "x", add_media: { "n.mp4": { url: "https://media.example.com/norange/n.mp4" } } })));
    await keep(await appFetch(`/api/jobs/${stalled.localId}/cancel`, { method: "POST" }));
    await keep(await fetch(`${appUrl}/api/callbacks/descript/${ok.localId}.forged`, { method: "POST", body: "{}" }));
    await waitForDetail(ok.localId, (job) => job.events.some((event) => event.kind === "relayed"), "the relay");
    await waitForDetail(failed.localId, (job) => job.state === "stopped", "the failing import");
    for (const path of ["/api/jobs?limit=100", `/api/jobs/${ok.localId}`, `/api/jobs/${failed.localId}`, `/api/jobs/${stalled.localId}`, "/api/v1/jobs?limit=100", `/api/v1/jobs/${ok.upstreamJobId}`, "/api/v1/status", "/api/health", "/jobs"]) {
      await keep(await appFetch(`${path}`));
    }
    answers.push(JSON.stringify(receiver.deliveries));
    await receiver.close();
    const detail = await consoleApi(`/api/jobs/${ok.localId}`);
    expect(detail.status).toBe(200);

    const stored = await withDatabase(async (db) => {
      const tables = ["jobs", "job_files", "job_events", "callback_relays"];
      const dumps = await Promise.all(tables.map(async (table) => JSON.stringify((await db.query(`SELECT * FROM ${table}`)).rows)));
      return dumps.join("\n");
    });
    const logs = appLogFile && fs.existsSync(appLogFile) ? fs.readFileSync(appLogFile, "utf8") : null;
    expect(logs, "the app's log file (JOBDECK_APP_LOG) must exist to be checked").not.toBeNull();
    for (const secret of [sandboxToken, callbackSecret]) {
      expect(answers.join("\n")).not.toContain(secret);
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // The per-job callback URL is derived from the secret: Descript has it, nobody else does.
    for (const job of [ok, failed, stalled]) {
      const callbackPath = `/api/callbacks/descript/${job.localId}.`;
      expect(answers.join("\n")).not.toContain(callbackPath);
      expect(stored).not.toContain(callbackPath);
      expect(logs).not.toContain(callbackPath);
    }
    // The forged callback above was refused and logged, without its token.
    expect(logs).toContain('"event":"callback_rejected"');
  });
});
