-- Free text over project names searches the distinct names (a team has far fewer projects than
-- jobs), then finds the jobs by name through a b-tree: a trigram index over every job's name read
-- long posting lists for every common trigram (docs/decisions/0015-benchmarks.md).

-- CreateTable
CREATE TABLE "project_names" (
    "name" TEXT NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_names_pkey" PRIMARY KEY ("name")
);

-- The names jobs already carry, before the index is built (rather than through its pending list).
INSERT INTO "project_names" ("name") SELECT DISTINCT "project_name" FROM "jobs" WHERE "project_name" IS NOT NULL;

-- CreateIndex
CREATE INDEX "project_names_name_trgm_idx" ON "project_names" USING GIN ("name" gin_trgm_ops);

-- Statistics now, so that the first searches are planned on them rather than on an empty table.
ANALYZE "project_names";

-- DropIndex
DROP INDEX "jobs_project_name_trgm_idx";

-- CreateIndex
CREATE INDEX "jobs_project_name_created_at_id_idx" ON "jobs"("project_name", "created_at" DESC, "id" DESC);

-- Every name a job takes is noted, whoever writes the job. A name seen again is touched, so that the
-- sweep, which prunes names no job carries, never prunes one a job is taking up at that moment.
CREATE FUNCTION "note_project_name"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "project_names" ("name") VALUES (NEW."project_name")
  ON CONFLICT ("name") DO UPDATE SET "last_seen_at" = CURRENT_TIMESTAMP;
  RETURN NULL;
END
$$;

CREATE TRIGGER "jobs_note_project_name" AFTER INSERT OR UPDATE OF "project_name" ON "jobs"
  FOR EACH ROW WHEN (NEW."project_name" IS NOT NULL) EXECUTE FUNCTION "note_project_name"();
