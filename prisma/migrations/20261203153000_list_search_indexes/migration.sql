-- Free text in the console's list is a substring match (ILIKE '%…%'); trigram GIN indexes serve it
-- without walking the table (docs/decisions/0015-benchmarks.md). pg_trgm ships with PostgreSQL's
-- contrib, which both the embedded Postgres from npm and the Debian/Ubuntu packages include.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "jobs_upstream_job_id_trgm_idx" ON "jobs" USING GIN ("upstream_job_id" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "jobs_project_id_trgm_idx" ON "jobs" USING GIN ("project_id" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "jobs_project_name_trgm_idx" ON "jobs" USING GIN ("project_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "job_files_reference_trgm_idx" ON "job_files" USING GIN ("reference" gin_trgm_ops);

-- The filter indexes end in id as the sort does, so a keyset page is one index range.
DROP INDEX "jobs_state_created_at_idx";
DROP INDEX "jobs_project_id_created_at_idx";
DROP INDEX "jobs_type_created_at_idx";

-- CreateIndex
CREATE INDEX "jobs_state_created_at_id_idx" ON "jobs"("state", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "jobs_project_id_created_at_id_idx" ON "jobs"("project_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "jobs_type_created_at_id_idx" ON "jobs"("type", "created_at" DESC, "id" DESC);
