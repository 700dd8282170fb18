// The expiry sweep: `npm run sweep` beside the running app, and a sweep of 100,000 jobs while
// callbacks go on. Jobs age by moving their created_at back, the clock the sweep reads (Jobdeck's
// own, not the sandbox's: docs/decisions/0014 says why).
import { describe, expect, it } from "vitest";
import type { JobListPage } from "@/lib/jobs/api-types";
import { runSweep } from "@/lib/worker/sweep";
import { postCallback, submitImport } from "../../support/jobs";
import { startReceiver } from "../../support/receiver";
import { appFetch, consoleApi, uniqueName, waitFor, withDatabase } from "../../support/stack";
import { startScript, waitForRow } from "../../support/worker";

const media = (name: string) => `https://media.example.com/${name}`;

interface Rollup {
  day: string;
  type: string;
  outcome: string;
  jobs: number;
  files_ok: number;
  files_failed: number;
  media_seconds: number;
  ai_credits: number;
}

const rollupsOn = (day: string) =>
  withDatabase(async (db) =>
    (await db.query<Rollup>(
      "SELECT to_char(day, 'YYYY-MM-DD') AS day, type, outcome, jobs, files_ok, files_failed, media_seconds, ai_credits FROM job_rollups WHERE day = $1::date ORDER BY type, outcome",
      [day],
    )).rows,
  );

async function rowCounts(ids: string[]) {
  return withDatabase(async (db) => {
    const count = async (sql: string) => Number((await db.query(sql, [ids])).rows[0].count);
    return {
      jobs: await count("SELECT count(*) FROM jobs WHERE id = ANY($1::uuid[])"),
      files: await count("SELECT count(*) FROM job_files WHERE job_id = ANY($1::uuid[])"),
      events: await count("SELECT count(*) FROM job_events WHERE job_id = ANY($1::uuid[])"),
      relays: await count("SELECT count(*) FROM callback_relays WHERE job_id = ANY($1::uuid[])"),
    };
  });
}

describe("the expiry sweep", () => {
  it("deletes exactly the expired jobs with their rows, and the rollups add up to what went", async () => {
    const receiver = await startReceiver([]);
    const expired = await Promise.all([
      submitImport(uniqueName("old"), { "a.mp4": media("a.mp4"), "b.mp4": media("b.mp4") }, { callback_url: receiver.url }),
      submitImport(uniqueName("old"), { "c.mp4": media("c.mp4"), "d.mp4": media("fail/d.mp4") }),
      submitImport(uniqueName("old #error"), { "e.mp4": media("e.mp4") }),
    ]);
    const kept = await Promise.all([submitImport(uniqueName("recent"), { "f.mp4": media("f.mp4") }), submitImport(uniqueName("recent"), { "g.mp4": media("g.mp4") })]);
    for (const job of [...expired, ...kept]) await waitForRow(job.localId, (row) => row.state === "stopped", "the import to stop");
    await waitFor(async () => (receiver.deliveries.length > 0 ? true : undefined), { what: "the relay" });
    await receiver.close();
    const expiredIds = expired.map((job) => job.localId);
    const keptIds = kept.map((job) => job.localId);

    // Nothing else expired (an interrupted earlier run may have left some): the sweep itself clears it.
    await runSweep();
    // 31 days ago (the rollups are compared by what they gained on that day).
    const day = await withDatabase(async (db) => {
      await db.query("UPDATE jobs SET created_at = date_trunc('day', now() - interval '31 days') + interval '1 hour' WHERE id = ANY($1::uuid[])", [expiredIds]);
      return (await db.query<{ day: string }>("SELECT to_char(date_trunc('day', now() - interval '31 days'), 'YYYY-MM-DD') AS day")).rows[0]!.day;
    });
    const figures = await withDatabase(async (db) =>
      (await db.query<Omit<Rollup, "day">>(
        `SELECT j.type, coalesce(j.outcome::text, j.state::text) AS outcome, count(*)::int AS jobs,
                sum((SELECT count(*) FROM job_files f WHERE f.job_id = j.id AND f.status = 'success'))::int AS files_ok,
                sum((SELECT count(*) FROM job_files f WHERE f.job_id = j.id AND f.status = 'failed'))::int AS files_failed,
                coalesce(sum(j.media_seconds_used), 0)::float8 AS media_seconds, coalesce(sum(j.ai_credits_used), 0)::float8 AS ai_credits
         FROM jobs j WHERE j.id = ANY($1::uuid[]) GROUP BY 1, 2 ORDER BY 1, 2`,
        [expiredIds],
      )).rows,
    );
    const before = { expired: await rowCounts(expiredIds), kept: await rowCounts(keptIds), rollups: await rollupsOn(day) };
    expect(before.expired.relays).toBeGreaterThan(0);
    const totalBefore = await withDatabase(async (db) => Number((await db.query("SELECT count(*) FROM jobs")).rows[0].count));

    const sweep = startScript("sweep");
    await sweep.closed;
    expect(sweep.output()).toMatch(/sweep \d+: 3 jobs deleted/);

    expect(await rowCounts(expiredIds)).toEqual({ jobs: 0, files: 0, events: 0, relays: 0 });
    expect(await rowCounts(keptIds)).toEqual(before.kept);
    const totalAfter = await withDatabase(async (db) => Number((await db.query("SELECT count(*) FROM jobs")).rows[0].count));
    expect(totalAfter).toBe(totalBefore - 3);
    // What the rollups gained (an earlier run of this test may have used the same day), rounded:
    // sums of floats in another order may differ in the last bits.
    const earlier = new Map(before.rollups.map((row) => [`${row.type}/${row.outcome}`, row]));
    const gained = (await rollupsOn(day)).flatMap(({ day: _day, ...row }) => {
      const was = earlier.get(`${row.type}/${row.outcome}`);
      const delta = {
        ...row,
        jobs: row.jobs - (was?.jobs ?? 0),
        files_ok: row.files_ok - (was?.files_ok ?? 0),
        files_failed: row.files_failed - (was?.files_failed ?? 0),
        media_seconds: row.media_seconds - (was?.media_seconds ?? 0),
        ai_credits: row.ai_credits - (was?.ai_credits ?? 0),
      };
      return delta.jobs === 0 ? [] : [delta];
    });
    const rounded = (rows: Array<Omit<Rollup, "day">>) =>
      rows.map((row) => ({ ...row, media_seconds: Math.round(row.media_seconds * 1000), ai_credits: Math.round(row.ai_credits * 1000) }));
    expect(rounded(gained)).toEqual(rounded(figures));

    const status = await consoleApi<{ sweep: { lastAt: string; recentRuns: Array<Record<string, unknown>> } }>("/api/status");
    expect(status.body.sweep.recentRuns[0]).toMatchObject({
      jobsDeleted: 3,
      filesDeleted: before.expired.files,
      eventsDeleted: before.expired.events,
      relaysDeleted: before.expired.relays,
      rollupsWritten: figures.length,
      error: null,
    });
    expect(status.body.sweep.recentRuns[0]?.finishedAt).not.toBeNull();
  }, 180_000);

  it("sweeps 100,000 expired jobs while callbacks keep being accepted", async () => {
    await withDatabase(async (db) => {
      await db.query(`
        WITH seeded AS (
          INSERT INTO jobs (id, type, state, outcome, request, submitted_by, created_at, updated_at, media_seconds_used)
          SELECT gen_random_uuid(), 'import/project_media', 'stopped', 'success', '{}', 'sweep-seed', now() - interval '40 days' - n * interval '1 second', now(), 10
          FROM generate_series(1, 100000) AS n
          RETURNING id
        ), files AS (
          INSERT INTO job_files (id, job_id, reference, status) SELECT gen_random_uuid(), id, 'a.mp4', 'success' FROM seeded
        )
        INSERT INTO job_events (job_id, kind, message) SELECT id, 'submitted', 'seeded' FROM seeded`);
    });
    const { localId, upstreamJobId } = await submitImport(uniqueName("meanwhile #stall #drop"), { "a.mp4": media("a.mp4") });
    let isSweeping = true;
    const sweeping = runSweep().finally(() => (isSweeping = false));
    const answers: Array<{ status: number; verdict: string; duringSweep: boolean }> = [];
    for (let percent = 1; isSweeping || answers.length < 3; percent++) {
      const answer = await postCallback(localId, {
        job_id: upstreamJobId,
        job_type: "import/project_media",
        job_state: "running",
        created_at: new Date().toISOString(),
        progress: { label: "Transcribing", percent: Math.min(percent, 99), last_update_at: new Date(Date.now() + percent).toISOString() },
      });
      answers.push({ status: answer.status, ...(answer.body as { verdict: string }), duringSweep: isSweeping });
    }
    const run = await sweeping;
    expect(run?.error).toBeNull();
    expect(run?.jobsDeleted).toBeGreaterThanOrEqual(100_000);
    expect(answers.every((answer) => answer.status === 200 && answer.verdict === "applied")).toBe(true);
    // Accepted while the sweep ran, not merely after it: the sweep never held them up for long.
    expect(answers.filter((answer) => answer.duringSweep).length).toBeGreaterThanOrEqual(10);
    const left = await withDatabase(async (db) => Number((await db.query("SELECT count(*) FROM jobs WHERE submitted_by = 'sweep-seed'")).rows[0].count));
    expect(left).toBe(0);
    await appFetch(`/api/jobs/${localId}/cancel`, { method: "POST" });
  }, 600_000);

  it("prunes rollups older than ROLLUP_RETENTION_DAYS (400 days) and keeps the younger ones", async () => {
    const type = uniqueName("rollup-probe");
    const days = await withDatabase(async (db) =>
      (await db.query<{ age: number; day: string }>(
        `INSERT INTO job_rollups (day, type, outcome, jobs) SELECT current_date - age, $1, 'success', 1 FROM unnest(ARRAY[399, 400, 401]) AS age
         RETURNING current_date - day AS age, to_char(day, 'YYYY-MM-DD') AS day`,
        [type],
      )).rows,
    );
    expect(days).toHaveLength(3);
    const run = await runSweep();
    expect(run?.error).toBeNull();
    expect(run?.rollupsPruned).toBeGreaterThanOrEqual(1);
    const left = await withDatabase(async (db) =>
      (await db.query<{ age: number }>("SELECT current_date - day AS age FROM job_rollups WHERE type = $1 ORDER BY 1", [type])).rows.map((row) => row.age));
    expect(left).toEqual([399, 400]);
  });

  it("prunes the project names no job carries any more, and keeps one a job carries or just took up", async () => {
    const name = (label: string) => uniqueName(`names ${label}`);
    const names = { expiredOnly: name("expired only"), shared: name("shared"), live: name("live"), justTaken: name("just taken") };
    await withDatabase(async (db) => {
      const insert = (projectName: string, age: string) =>
        db.query(
          `INSERT INTO jobs (id, type, state, request, submitted_by, project_name, created_at, updated_at)
           VALUES (gen_random_uuid(), 'import/project_media', 'stopped', '{}', 'test', $1, now() - $2::interval, now())`,
          [projectName, age],
        );
      await insert(names.expiredOnly, "31 days");
      await insert(names.shared, "31 days");
      await insert(names.shared, "1 hour");
      await insert(names.live, "1 hour");
      // Noted (by the trigger) when the jobs were written; made as old as their oldest job.
      await db.query("UPDATE project_names SET last_seen_at = now() - interval '31 days' WHERE name = ANY($1)", [[names.expiredOnly, names.shared, names.live]]);
      // A name a job is being written with at this moment: noted, the job not yet visible.
      await db.query("INSERT INTO project_names (name) VALUES ($1)", [names.justTaken]);
    });
    expect((await consoleApi<JobListPage>(`/api/jobs?q=${encodeURIComponent(names.expiredOnly)}`)).body.data).toHaveLength(1);

    await runSweep();

    const left = await withDatabase(async (db) =>
      (await db.query<{ name: string }>("SELECT name FROM project_names WHERE name = ANY($1) ORDER BY name", [Object.values(names)])).rows.map((row) => row.name));
    expect(left).toEqual([names.justTaken, names.live, names.shared].sort());
    expect((await consoleApi<JobListPage>(`/api/jobs?q=${encodeURIComponent(names.expiredOnly)}`)).body.data).toEqual([]);
    expect((await consoleApi<JobListPage>(`/api/jobs?q=${encodeURIComponent(names.shared)}`)).body.data.map((job) => job.projectName)).toEqual([names.shared]);
  });
});
