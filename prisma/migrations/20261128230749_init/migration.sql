-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('submitting', 'rejected', 'queued', 'running', 'cancel_requested', 'stopped', 'cancelled');

-- CreateEnum
CREATE TYPE "UpstreamJobState" AS ENUM ('queued', 'running', 'stopped', 'cancelled');

-- CreateEnum
CREATE TYPE "JobOutcome" AS ENUM ('success', 'partial', 'error');

-- CreateEnum
CREATE TYPE "FileStatus" AS ENUM ('pending', 'success', 'failed');

-- CreateEnum
CREATE TYPE "JobEventKind" AS ENUM ('submitted', 'upstream_answered', 'upstream_rejected', 'upstream_unreachable', 'callback_received', 'poll_result', 'cancel_requested', 'cancel_failed', 'cancelled', 'relayed');

-- CreateEnum
CREATE TYPE "EventVerdict" AS ENUM ('applied', 'duplicate', 'stale', 'rejected');

-- CreateTable
CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "upstream_job_id" TEXT,
    "type" TEXT NOT NULL,
    "state" "JobState" NOT NULL,
    "upstream_state" "UpstreamJobState",
    "outcome" "JobOutcome",
    "drive_id" TEXT,
    "project_id" TEXT,
    "project_name" TEXT,
    "project_url" TEXT,
    "progress_label" TEXT,
    "progress_percent" DOUBLE PRECISION,
    "progress_updated_at" TIMESTAMPTZ(3),
    "result" JSONB,
    "error_message" TEXT,
    "error_code" TEXT,
    "media_seconds_used" DOUBLE PRECISION,
    "ai_credits_used" DOUBLE PRECISION,
    "request" JSONB NOT NULL,
    "submitted_by" TEXT NOT NULL,
    "client_callback_url" TEXT,
    "cancel_reason" TEXT,
    "cancel_requested_at" TIMESTAMPTZ(3),
    "upstream_created_at" TIMESTAMPTZ(3),
    "upstream_stopped_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_files" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "source_url" TEXT,
    "status" "FileStatus" NOT NULL DEFAULT 'pending',
    "duration_seconds" DOUBLE PRECISION,
    "error_message" TEXT,

    CONSTRAINT "job_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_events" (
    "id" BIGSERIAL NOT NULL,
    "job_id" UUID NOT NULL,
    "kind" "JobEventKind" NOT NULL,
    "verdict" "EventVerdict",
    "payload" JSONB,
    "headers" JSONB,
    "http_status" INTEGER,
    "message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "callback_relays" (
    "id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "abandoned_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "callback_relays_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "jobs_upstream_job_id_key" ON "jobs"("upstream_job_id");

-- CreateIndex
CREATE INDEX "jobs_created_at_id_idx" ON "jobs"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "jobs_state_created_at_idx" ON "jobs"("state", "created_at" DESC);

-- CreateIndex
CREATE INDEX "jobs_project_id_created_at_idx" ON "jobs"("project_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "jobs_type_created_at_idx" ON "jobs"("type", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "job_files_job_id_reference_key" ON "job_files"("job_id", "reference");

-- CreateIndex
CREATE INDEX "job_events_job_id_id_idx" ON "job_events"("job_id", "id");

-- CreateIndex
CREATE INDEX "callback_relays_due_idx" ON "callback_relays"("next_attempt_at");

-- AddForeignKey
ALTER TABLE "job_files" ADD CONSTRAINT "job_files_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_events" ADD CONSTRAINT "job_events_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "callback_relays" ADD CONSTRAINT "callback_relays_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
