-- The worker's scans each tick read only the jobs they are about: the due ones, the unscheduled
-- active ones, the flagged ones. Full indexes on these columns hold every ended job too (a null), and
-- a scan with a volatile bound (clock_timestamp()) or a condition on another column walked all of
-- them: at a million jobs one tick took about 1.5 s of Postgres time (docs/decisions/0014).
DROP INDEX "jobs_callback_missed_at_idx";
DROP INDEX "jobs_next_poll_at_idx";
DROP INDEX "jobs_stuck_since_idx";

CREATE INDEX "jobs_next_poll_at_idx" ON "jobs"("next_poll_at") WHERE (next_poll_at IS NOT NULL);
CREATE INDEX "jobs_unscheduled_idx" ON "jobs"("created_at") WHERE (next_poll_at IS NULL AND state IN ('submitting', 'queued', 'running'));
CREATE INDEX "jobs_callback_missed_at_idx" ON "jobs"("callback_missed_at") WHERE (callback_missed_at IS NOT NULL);
CREATE INDEX "jobs_stuck_since_idx" ON "jobs"("stuck_since") WHERE (stuck_since IS NOT NULL);
