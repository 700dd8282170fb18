-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "dropped_events" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stored_events" INTEGER NOT NULL DEFAULT 0;

-- Existing timelines count towards the cap.
UPDATE "jobs" SET "stored_events" = (SELECT count(*) FROM "job_events" WHERE "job_events"."job_id" = "jobs"."id");
