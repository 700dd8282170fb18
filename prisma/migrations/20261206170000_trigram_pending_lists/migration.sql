-- A GIN index takes new entries into a pending list first, and every search scans that whole list.
-- Each callback rewrites its job's row and so adds its trigrams to both indexes on jobs: after the
-- bench's callback part, the 4 MB default list made a free-text search 3× slower (7 → 19 ms alone).
-- 256 kB keeps a search's extra scan to a few pages; writers flush more often, each flush smaller
-- (docs/decisions/0015-benchmarks.md).
ALTER INDEX "jobs_upstream_job_id_trgm_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "jobs_project_id_trgm_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "job_files_reference_trgm_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "project_names_name_trgm_idx" SET (gin_pending_list_limit = 256);
