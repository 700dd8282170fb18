// Seeds the list benchmark's jobs and files with SQL alone (generate_series), as pgbench loads its
// tables: secondary indexes are dropped, the rows inserted, then the indexes rebuilt from their own
// definitions, which is many times faster than maintaining them row by row.
import pg from "pg";

const TABLES = ["jobs", "job_files", "project_names"];

/** `jobs` jobs (10 to a project) and three files each; answers how long it took. */
export async function seedJobList(db: pg.Pool, jobs: number): Promise<{ seconds: number; jobs: number; files: number }> {
  const started = Date.now();
  const client = await db.connect();
  let indexes: Array<{ name: string; definition: string }> = [];
  try {
    await client.query("SET maintenance_work_mem = '256MB'");
    // Foreign-key triggers off for the load: every file row names a job inserted just before.
    await client.query("SET session_replication_role = replica");
    ({ rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [TABLES],
    ));
    for (const index of indexes) await client.query(`DROP INDEX ${pg.escapeIdentifier(index.name)}`);
    // One second apart, ending now; 5% cancelled, 2% running, the rest stopped a few seconds after
    // they started, as the sandbox's jobs do at the bench's speed (the worker's first poll waits
    // about the usual duration, which the economy part's lost callbacks would otherwise wait out).
    // The running ones have run for days without progress: they are flagged stuck, as the worker
    // leaves such jobs, so flagging twenty thousand at once (a backlog met once) is not what the
    // list's figures measure.
    await client.query(
      `INSERT INTO jobs (id, upstream_job_id, type, state, upstream_state, outcome, project_id, project_name,
                         progress_label, progress_percent, request, submitted_by, created_at, updated_at, next_poll_at,
                         upstream_created_at, upstream_stopped_at, stuck_since, stuck_reason)
       SELECT gen_random_uuid(), gen_random_uuid()::text,
              (ARRAY['import/project_media', 'agent', 'publish'])[1 + n % 3],
              s.state::"JobState", s.state::"UpstreamJobState",
              CASE WHEN s.state = 'stopped' THEN (CASE WHEN n % 7 = 0 THEN 'partial' ELSE 'success' END)::"JobOutcome" END,
              md5('project ' || (n / 10))::uuid::text,
              'Project ' || lpad((n / 10)::text, 7, '0') || ' ' || (ARRAY['interview', 'podcast', 'launch video', 'webinar', 'town hall'])[1 + (n / 10) % 5],
              CASE WHEN s.state = 'running' THEN 'Transcribing' END, CASE WHEN s.state = 'running' THEN 40 END,
              '{}', 'bench', c.at, c.at,
              -- Upstream never heard of the running ones: their polls wait a day, off the budget the bench measures.
              CASE WHEN s.state = 'running' THEN now() + interval '1 day' END,
              c.at, CASE WHEN s.state = 'stopped' THEN c.at + interval '3 seconds' END,
              CASE WHEN s.state = 'running' AND c.at < now() - interval '15 minutes' THEN c.at + interval '15 minutes' END,
              CASE WHEN s.state = 'running' AND c.at < now() - interval '15 minutes' THEN 'no new progress for 15 min' END
       FROM generate_series(1, $1::int) AS n,
            LATERAL (SELECT now() - ($1::int - n) * interval '1 second' AS at) AS c,
            LATERAL (SELECT CASE WHEN n % 20 = 0 THEN 'cancelled' WHEN n % 50 = 1 THEN 'running' ELSE 'stopped' END AS state) AS s`,
      [jobs],
    );
    await client.query(
      `INSERT INTO job_files (id, job_id, reference, source_url, status, duration_seconds)
       SELECT gen_random_uuid(), j.id, 'clip-' || k || '-' || left(j.upstream_job_id, 8) || '.mp4',
              'https://media.example.com/' || left(j.upstream_job_id, 8) || '/' || k || '.mp4', 'success', 30 + k
       FROM jobs j CROSS JOIN generate_series(1, 3) AS k WHERE j.submitted_by = 'bench'`,
    );
    // What the trigger on jobs (off for the load) would have noted: each project name once.
    await client.query(
      `INSERT INTO project_names (name) SELECT DISTINCT project_name FROM jobs WHERE submitted_by = 'bench' ON CONFLICT (name) DO NOTHING`,
    );
    await client.query("SET session_replication_role = DEFAULT");
  } finally {
    client.release();
  }
  // The rebuilds are independent: several at once use every core Postgres may have.
  const queue = [...indexes.map((index) => index.definition), "VACUUM ANALYZE jobs", "VACUUM ANALYZE job_files", "VACUUM ANALYZE project_names"];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      const worker = await db.connect();
      try {
        await worker.query("SET maintenance_work_mem = '128MB'");
        for (let statement = queue.shift(); statement; statement = queue.shift()) await worker.query(statement);
      } finally {
        worker.release();
      }
    }),
  );
  return { seconds: Math.round((Date.now() - started) / 100) / 10, jobs, files: jobs * 3 };
}
