-- AlterEnum
ALTER TYPE "JobEventKind" ADD VALUE 'reconciled';

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "callback_missed_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_polled_at" TIMESTAMPTZ(3),
ADD COLUMN     "lease_until" TIMESTAMPTZ(3),
ADD COLUMN     "leased_by" TEXT,
ADD COLUMN     "next_poll_at" TIMESTAMPTZ(3),
ADD COLUMN     "poll_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stuck_reason" TEXT,
ADD COLUMN     "stuck_since" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "upstream_budget" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "tokens" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "refilled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "window_consumed" INTEGER NOT NULL DEFAULT 0,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "blocked_until" TIMESTAMPTZ(3),
    "last_429_at" TIMESTAMPTZ(3),
    "throttle_streak" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "upstream_budget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sweep_runs" (
    "id" BIGSERIAL NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "cutoff" TIMESTAMPTZ(3) NOT NULL,
    "jobs_deleted" INTEGER NOT NULL DEFAULT 0,
    "files_deleted" INTEGER NOT NULL DEFAULT 0,
    "events_deleted" INTEGER NOT NULL DEFAULT 0,
    "relays_deleted" INTEGER NOT NULL DEFAULT 0,
    "rollups_written" INTEGER NOT NULL DEFAULT 0,
    "rollups_pruned" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "sweep_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_rollups" (
    "day" DATE NOT NULL,
    "type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "jobs" INTEGER NOT NULL DEFAULT 0,
    "files_ok" INTEGER NOT NULL DEFAULT 0,
    "files_failed" INTEGER NOT NULL DEFAULT 0,
    "media_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "ai_credits" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "job_rollups_pkey" PRIMARY KEY ("day","type","outcome")
);

-- CreateIndex
CREATE INDEX "sweep_runs_started_at_idx" ON "sweep_runs"("started_at" DESC);

-- CreateIndex
CREATE INDEX "jobs_next_poll_at_idx" ON "jobs"("next_poll_at");

-- CreateIndex
CREATE INDEX "jobs_callback_missed_at_idx" ON "jobs"("callback_missed_at");

-- CreateIndex
CREATE INDEX "jobs_stuck_since_idx" ON "jobs"("stuck_since");


-- The budget's one row.
INSERT INTO "upstream_budget" ("id") VALUES (1) ON CONFLICT DO NOTHING;
