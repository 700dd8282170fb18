// Descript's job API contract (../shared/docs/descript-api.md, the OpenAPI v1.2 document), as zod
// schemas. Request bodies are closed, as upstream's are; what upstream sends back is read leniently
// (unknown fields kept, unknown job types displayable), since upstream may add to it at any time.
import { z } from "zod";

const teamAccess = z.enum(["edit", "comment", "view", "none"]);
const nonEmpty = z.string().min(1);
const httpUrl = z.url({ protocol: /^https?$/ });

const urlImportItem = z.strictObject({ url: httpUrl, language: z.string().optional() });
const directUploadItem = z.strictObject({
  content_type: nonEmpty,
  file_size: z.number().int().positive(),
  language: z.string().optional(),
});
const multitrackItem = z.strictObject({
  tracks: z.array(z.strictObject({ media: nonEmpty, offset: z.number().optional() })).min(1),
});
export const mediaItemSchema = z.union([urlImportItem, directUploadItem, multitrackItem]);
export type MediaItem = z.infer<typeof mediaItemSchema>;

export const importRequestSchema = z.strictObject({
  project_id: nonEmpty.optional(),
  project_name: z.string().optional(),
  team_access: teamAccess.optional(),
  folder_name: z.string().optional(),
  workspace_name: z.string().optional(),
  add_media: z.record(nonEmpty, mediaItemSchema).optional(),
  add_compositions: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        width: z.number().int().positive().optional(),
        height: z.number().int().positive().optional(),
        fps: z.number().positive().optional(),
        clips: z.array(z.strictObject({ media: nonEmpty })),
      }),
    )
    .optional(),
  callback_url: httpUrl.optional(),
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

export const agentRequestSchema = z
  .strictObject({
    project_id: nonEmpty.optional(),
    project_name: z.string().optional(),
    composition_id: nonEmpty.optional(),
    model: z.string().optional(),
    prompt: nonEmpty,
    team_access: teamAccess.optional(),
    conversation_id: z.string().optional(),
    callback_url: httpUrl.optional(),
  })
  // Custom messages are whole Joi sentences (lib/descript/joi-message.ts passes them on as they are).
  .superRefine((body, context) => {
    if (body.project_id !== undefined && body.project_name !== undefined) {
      context.addIssue({ code: "custom", message: '"value" contains a conflict between exclusive peers [project_id, project_name]' });
    } else if (body.project_id === undefined && body.project_name === undefined) {
      context.addIssue({ code: "custom", message: '"value" must contain at least one of [project_id, project_name]' });
    } else if (body.composition_id !== undefined && body.project_id === undefined) {
      context.addIssue({ code: "custom", message: '"composition_id" missing required peer "project_id"' });
    }
  });
export type AgentRequest = z.infer<typeof agentRequestSchema>;

export const publishRequestSchema = z.strictObject({
  project_id: nonEmpty,
  composition_id: nonEmpty.optional(),
  media_type: z.enum(["Video", "Audio"]).optional(),
  resolution: z.enum(["480p", "720p", "1080p", "1440p", "4K"]).optional(),
  access_level: z.enum(["public", "unlisted", "drive", "private"]).optional(),
  callback_url: httpUrl.optional(),
});
export type PublishRequest = z.infer<typeof publishRequestSchema>;

/** The job types Jobdeck creates, each with its upstream path and request schema. */
export const CREATE_ENDPOINTS = {
  "import/project_media": { path: "/jobs/import/project_media", schema: importRequestSchema },
  agent: { path: "/jobs/agent", schema: agentRequestSchema },
  publish: { path: "/jobs/publish", schema: publishRequestSchema },
} as const;
export type CreatableJobType = keyof typeof CREATE_ENDPOINTS;
export type CreateJobRequest = ImportRequest | AgentRequest | PublishRequest;

export const createJobResponseSchema = z.looseObject({
  job_id: nonEmpty,
  drive_id: z.string().optional(),
  drive_name: z.string().optional(),
  project_id: z.string().optional(),
  project_url: z.string().optional(),
  upload_urls: z.record(z.string(), z.unknown()).optional(),
});
export type CreateJobResponse = z.infer<typeof createJobResponseSchema>;

export const upstreamStateSchema = z.enum(["queued", "running", "stopped", "cancelled"]);

const mediaStatusSchema = z.looseObject({
  status: z.string(),
  duration_seconds: z.number().optional(),
  error_message: z.string().optional(),
});

export const jobResultSchema = z.looseObject({
  status: z.string(),
  error_message: z.string().optional(),
  error_code: z.string().optional(),
  media_status: z.record(z.string(), mediaStatusSchema).optional(),
  media_seconds_used: z.number().optional(),
  ai_credits_used: z.number().optional(),
});

/** A job as GET /jobs/{job_id} answers it and as callbacks carry it. */
export const upstreamJobSchema = z.looseObject({
  job_id: nonEmpty,
  job_type: nonEmpty,
  job_state: upstreamStateSchema,
  created_at: z.iso.datetime({ offset: true }),
  stopped_at: z.iso.datetime({ offset: true }).optional(),
  drive_id: z.string().optional(),
  project_id: z.string().optional(),
  project_url: z.string().optional(),
  progress: z
    .looseObject({
      label: z.string().optional(),
      percent: z.number().optional(),
      last_update_at: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
  result: jobResultSchema.optional(),
});
export type UpstreamJob = z.infer<typeof upstreamJobSchema>;

export const jobListResponseSchema = z.looseObject({
  data: z.array(upstreamJobSchema),
  pagination: z.looseObject({ next_cursor: z.string().optional() }).optional(),
});
export type JobListResponse = z.infer<typeof jobListResponseSchema>;

export const jobListQuerySchema = z.strictObject({
  project_id: z.string().optional(),
  type: z.string().optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  created_after: z.iso.datetime({ offset: true }).optional(),
  created_before: z.iso.datetime({ offset: true }).optional(),
});
export type JobListQuery = z.infer<typeof jobListQuerySchema>;

export const statusResponseSchema = z.looseObject({
  drive_id: z.string(),
  drive_name: z.string().optional(),
  api_version: z.string().optional(),
});
