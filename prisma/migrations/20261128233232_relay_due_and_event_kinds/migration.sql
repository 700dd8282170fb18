-- AlterEnum
ALTER TYPE "JobEventKind" ADD VALUE 'cancel_accepted';

-- AlterTable
ALTER TABLE "callback_relays" ALTER COLUMN "next_attempt_at" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "callback_relays_job_id_idx" ON "callback_relays"("job_id");

-- CreateIndex
CREATE INDEX "jobs_updated_at_id_idx" ON "jobs"("updated_at" DESC, "id" DESC);
