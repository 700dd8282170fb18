// The bench's yardstick for callback ingestion: the least a correct handler can do with node:http
// and pg. It checks the URL's token, parses the body, then in one transaction locks the job, keeps
// only newer progress, updates the row, stores the event and announces the change, as Jobdeck must.
import http from "node:http";
import pg from "pg";
import { verifyCallbackToken } from "../../lib/jobs/callback-token";

const secret = process.env.CALLBACK_SECRET!;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function apply(jobId: string, body: string): Promise<string> {
  const job = JSON.parse(body) as { job_id: string; job_state: string; progress: { label: string; percent: number; last_update_at: string } };
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ upstream_job_id: string; progress_updated_at: Date | null }>(
      "SELECT upstream_job_id, progress_updated_at FROM jobs WHERE id = $1 FOR UPDATE",
      [jobId],
    );
    const row = rows[0];
    const at = new Date(job.progress.last_update_at);
    const verdict = !row || row.upstream_job_id !== job.job_id ? "rejected" : row.progress_updated_at && row.progress_updated_at >= at ? "duplicate" : "applied";
    if (verdict === "applied") {
      const { rows: updated } = await client.query<{ version: number; state: string }>(
        `UPDATE jobs SET progress_label = $2, progress_percent = $3, progress_updated_at = $4, upstream_state = 'running',
                version = version + 1, updated_at = now() WHERE id = $1 RETURNING version, state`,
        [jobId, job.progress.label, job.progress.percent, at],
      );
      await client.query(
        "INSERT INTO job_events (job_id, kind, verdict, payload, headers, message) VALUES ($1, 'callback_received', 'applied', $2, $3, $4)",
        [jobId, body, JSON.stringify({ "content-type": "application/json" }), "running: applied"],
      );
      const change = { id: jobId, upstreamJobId: job.job_id, state: updated[0]!.state, version: updated[0]!.version };
      await client.query("SELECT pg_notify('jobdeck_job_changes', $1)", [JSON.stringify(change)]);
    }
    await client.query("COMMIT");
    return verdict;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

http
  .createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const token = decodeURIComponent(request.url?.split("/").pop() ?? "");
      const jobId = verifyCallbackToken(token, secret);
      if (!jobId) {
        response.writeHead(401).end();
        return;
      }
      apply(jobId, Buffer.concat(chunks).toString("utf8")).then(
        (verdict) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ received: true, verdict })),
        () => response.writeHead(503).end(),
      );
    });
  })
  .listen(Number(process.env.BASELINE_PORT), "127.0.0.1", () => process.stdout.write("listening\n"));
