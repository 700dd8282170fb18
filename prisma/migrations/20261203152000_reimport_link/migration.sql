-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "reimport_of_id" UUID;

-- CreateIndex
CREATE INDEX "jobs_reimport_of_id_idx" ON "jobs"("reimport_of_id");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_reimport_of_id_fkey" FOREIGN KEY ("reimport_of_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

