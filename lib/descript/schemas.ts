// Descript's job API contract (docs/upstream/descript-api.md, the OpenAPI v1.2 document), as zod
// schemas: the one definition the proxy validates with and the sandbox emulates. Request bodies are
// closed, as upstream's Joi schemas are; where the live API accepts fields the OpenAPI omits
// (`workspace_name`, an agent's `conversation_id`), the live API wins. What upstream sends back is
// read leniently (unknown fields kept, unknown job types displayable), since upstream may add to it.
import { z } from "zod";

/**
 * Sizes of our own: Descript's OpenAPI document states no length or count limit for any of these
 * (only `limit` ≤ 100 for listing). Each is far beyond real use and keeps one request, and what it
 * stores, small and bounded (docs/decisions/0013). The sandbox validates with these too.
 */
export const REQUEST_LIMITS = {
  /** Names, ids, labels, content types. */
  text: 1_000,
  /** An agent's natural-language instruction. */
  prompt: 20_000,
  /** Signed media URLs can run to a few kilobytes. */
  url: 8_000,
  /** Files of one import: 15,000 are applied in one callback (tests/integration/jobs/hardening). */
  addMedia: 20_000,
  /** Compositions, clips, tracks. */
  items: 1_000,
} as const;

// Joi strings refuse "" unless told otherwise, so every string of a request is non-empty.
const text = z.string().min(1).max(REQUEST_LIMITS.text);
const httpUrl = z.url({ protocol: /^https?$/ }).max(REQUEST_LIMITS.url);
const teamAccess = z.enum(["edit", "comment", "view", "none"]);
const language = text.optional();

const urlImportSchema = z.strictObject({ url: httpUrl, language });
const directUploadSchema = z.strictObject({ content_type: text, file_size: z.int().min(0), language });
const multitrackSchema = z.strictObject({
  tracks: z.array(z.strictObject({ media: text, offset: z.number().optional() })).min(1).max(REQUEST_LIMITS.items),
});

export const importRequestSchema = z.strictObject({
  project_id: z.uuid().optional(),
  project_name: text.optional(),
  team_access: teamAccess.optional(),
  folder_name: text.optional(),
  workspace_name: text.optional(),
  // A "__proto__" key would vanish in parsing (and its media with it): refuse it instead.
  add_media: z
    .preprocess((value, context) => {
      if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
        context.addIssue({ code: "custom", message: '"add_media.__proto__" is not allowed', input: value });
      }
      // Counted before the entries are parsed one by one (Joi's object.max wording).
      if (typeof value === "object" && value !== null && Object.keys(value).length > REQUEST_LIMITS.addMedia) {
        context.addIssue({ code: "custom", message: `"add_media" must have less than or equal to ${REQUEST_LIMITS.addMedia} keys`, input: value });
      }
      return value;
    }, z.record(text, z.union([urlImportSchema, directUploadSchema, multitrackSchema])))
    .optional(),
  add_compositions: z
    .array(
      z.strictObject({
        name: text.optional(),
        width: z.int().optional(),
        height: z.int().optional(),
        fps: z.number().optional(),
        clips: z.array(z.strictObject({ media: text })).max(REQUEST_LIMITS.items),
      }),
    )
    .max(REQUEST_LIMITS.items)
    .optional(),
  callback_url: httpUrl.optional(),
});
export type ImportRequest = z.output<typeof importRequestSchema>;
export type MediaItem = NonNullable<ImportRequest["add_media"]>[string];

export const agentRequestSchema = z
  .strictObject({
    project_id: z.uuid().optional(),
    project_name: text.optional(),
    composition_id: text.optional(),
    model: text.optional(), // upstream's default is "auto"
    prompt: z.string().min(1).max(REQUEST_LIMITS.prompt),
    team_access: teamAccess.optional(),
    conversation_id: text.optional(),
    callback_url: httpUrl.optional(),
  })
  .superRefine((body, context) => {
    // Joi's object.xor and object.with wordings.
    const hasProjectId = body.project_id !== undefined;
    const hasProjectName = body.project_name !== undefined;
    if (hasProjectId && hasProjectName) {
      context.addIssue({ code: "custom", message: '"value" contains a conflict between exclusive peers [project_id, project_name]' });
    } else if (!hasProjectId && !hasProjectName) {
      context.addIssue({ code: "custom", message: '"value" must contain at least one of [project_id, project_name]' });
    } else if (body.composition_id !== undefined && !hasProjectId) {
      context.addIssue({ code: "custom", message: '"composition_id" missing required peer "project_id"' });
    }
  });
export type AgentRequest = z.output<typeof agentRequestSchema>;

export const publishRequestSchema = z.strictObject({
  project_id: z.uuid(),
  composition_id: z.uuid().optional(),
  media_type: z.enum(["Video", "Audio"]).optional(), // upstream's default is "Video"
  resolution: z.enum(["480p", "720p", "1080p", "1440p", "4K"]).optional(),
  access_level: z.enum(["public", "unlisted", "drive", "private"]).optional(),
  callback_url: httpUrl.optional(),
});
export type PublishRequest = z.output<typeof publishRequestSchema>;

/** The job types Jobdeck creates, each with its upstream path and request schema. */
export const CREATE_ENDPOINTS = {
  "import/project_media": { path: "/jobs/import/project_media", schema: importRequestSchema },
  agent: { path: "/jobs/agent", schema: agentRequestSchema },
  publish: { path: "/jobs/publish", schema: publishRequestSchema },
} as const;
export type CreatableJobType = keyof typeof CREATE_ENDPOINTS;
export type CreateJobRequest = ImportRequest | AgentRequest | PublishRequest;

export const createJobResponseSchema = z.looseObject({
  job_id: z.string().min(1),
  drive_id: z.string().optional(),
  drive_name: z.string().optional(),
  project_id: z.string().optional(),
  project_url: z.string().optional(),
  upload_urls: z.record(z.string(), z.unknown()).optional(),
});
export type CreateJobResponse = z.infer<typeof createJobResponseSchema>;

// Offsets are optional: a timestamp without one must not cost a callback (it is read as UTC).
const upstreamTimestamp = z.iso.datetime({ offset: true, local: true });

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
  job_id: z.string().min(1),
  job_type: z.string().min(1),
  job_state: upstreamStateSchema,
  created_at: upstreamTimestamp,
  stopped_at: upstreamTimestamp.optional(),
  drive_id: z.string().optional(),
  project_id: z.string().optional(),
  project_url: z.string().optional(),
  progress: z
    .looseObject({
      label: z.string().optional(),
      percent: z.number().optional(),
      last_update_at: upstreamTimestamp.optional(),
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

const isoTimestamp = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** Query strings are open (unknown parameters are ignored): only bodies are documented as closed. */
export const listJobsQuerySchema = z.object({
  project_id: z.uuid().optional(),
  type: text.optional(),
  cursor: text.optional(),
  // Decimal digits only, as Joi parses a query integer ("1e1" and "0x10" are not numbers here).
  limit: z
    .string()
    .refine((text) => /^\d+$/.test(text), { message: '"limit" must be a number' })
    .transform(Number)
    .pipe(z.int().min(1).max(100))
    .default(20),
  created_after: isoTimestamp.optional(),
  created_before: isoTimestamp.optional(),
});
export type ListJobsQuery = z.output<typeof listJobsQuerySchema>;

export const statusResponseSchema = z.looseObject({
  drive_id: z.string(),
  drive_name: z.string().optional(),
  api_version: z.string().optional(),
});
