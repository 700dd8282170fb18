// What a job reports when it stops, per type, as descript-api.md describes. Values that would vary
// upstream (durations, share links) are derived from the request so that reruns compare equal.
import { createHash, randomUUID } from "node:crypto";
import { toIso } from "./clock";
import type { JobRecord, JobResult, JobSpec, MediaStatus } from "./jobs";

const DOWNLOAD_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

export function buildResult(job: JobRecord, stoppedAt: number): JobResult {
  if (job.scenario.outcome === "error") {
    return { status: "error", error_message: `The ${describeWork(job.spec)} failed (sandbox scenario #error)` };
  }
  switch (job.spec.type) {
    case "import/project_media":
      return buildImportResult(job.spec);
    case "agent":
      return buildAgentResult(job.spec, job.scenario.isProjectUnchanged);
    case "publish":
      return buildPublishResult({ spec: job.spec, projectId: job.projectId, stoppedAt });
  }
}

function describeWork(spec: JobSpec): string {
  if (spec.type === "import/project_media") return "media import";
  return spec.type === "agent" ? "agent edit" : "publish";
}

function buildImportResult(spec: Extract<JobSpec, { type: "import/project_media" }>): JobResult {
  const entries = spec.media.map(({ ref, behaviour }): [string, MediaStatus] =>
    behaviour === "fail"
      ? [ref, { status: "failed", error_message: "Failed to download media file from URL" }]
      : [ref, { status: "success", duration_seconds: estimateDurationSeconds(ref) }],
  );
  const failures = entries.filter(([, status]) => status.status === "failed").length;
  // A multi-file import partly succeeds ("partial"); only when nothing at all arrived is it an error.
  if (entries.length > 0 && failures === entries.length) {
    return { status: "error", error_message: "Failed to download media file from URL" };
  }
  const seconds = entries.reduce((sum, [, status]) => sum + (status.status === "success" ? status.duration_seconds : 0), 0);
  return {
    status: failures > 0 ? "partial" : "success",
    media_status: Object.fromEntries(entries),
    media_seconds_used: Math.ceil(seconds),
    ...(spec.compositionNames.length > 0 && {
      created_compositions: spec.compositionNames.map((name) => ({ id: randomUUID(), name })),
    }),
  };
}

function buildAgentResult(spec: Extract<JobSpec, { type: "agent" }>, isProjectUnchanged: boolean): JobResult {
  return {
    status: "success",
    agent_response: isProjectUnchanged
      ? `I looked at the project and found nothing to change for: ${spec.prompt}`
      : `Done. I edited the project as asked: ${spec.prompt}`,
    project_changed: !isProjectUnchanged,
    ai_credits_used: Math.max(1, Math.ceil(spec.prompt.length / 40)),
    conversation_id: spec.conversationId,
    resolved_model: spec.resolvedModel,
  };
}

function buildPublishResult(options: {
  spec: Extract<JobSpec, { type: "publish" }>;
  projectId: string;
  stoppedAt: number;
}): JobResult {
  const { spec, projectId, stoppedAt } = options;
  // Republishing the same (project, composition, media type) reuses its share URL upstream.
  const slug = hashOf(`${projectId}:${spec.compositionId}:${spec.mediaType}`).toString("base64url").slice(0, 12);
  return {
    status: "success",
    composition_id: spec.compositionId,
    share_url: `https://share.descript.com/view/${slug}`,
    download_url: `https://share.descript.com/download/${slug}.${spec.mediaType === "Video" ? "mp4" : "m4a"}`,
    download_url_expires_at: toIso(stoppedAt + DOWNLOAD_LINK_LIFETIME_MS),
    media_type: spec.mediaType,
  };
}

/** 5.0–600.0 seconds, fixed per media reference. */
function estimateDurationSeconds(ref: string): number {
  return 5 + (hashOf(ref).readUInt32BE(0) % 5951) / 10;
}

function hashOf(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
