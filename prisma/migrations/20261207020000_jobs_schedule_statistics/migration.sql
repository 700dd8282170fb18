-- Postgres estimates "active and not yet scheduled" (the worker's scheduling scan, served by
-- jobs_unscheduled_idx) by multiplying the two columns' separate odds, as if they were independent.
-- They are not: active jobs are almost all scheduled, ended ones almost all not. With thousands of
-- scheduled active jobs the estimate reached thousands of rows instead of a handful, and the
-- planner chose to read the whole table on every tick. Statistics on the pair (their most common
-- combinations) give it the real figure (docs/decisions/0014). Prisma's schema cannot express
-- statistics objects; it neither creates nor drops them.
CREATE STATISTICS "jobs_state_next_poll_at_stats" (mcv) ON "state", "next_poll_at" FROM "jobs";
