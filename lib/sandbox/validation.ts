// Request schemas for Descript's job endpoints. Bodies are closed (strictObject) like Descript's Joi
// schemas; where the live API accepts fields the OpenAPI omits (`workspace_name`, an agent's
// `conversation_id`), the live API wins.
import { z } from "zod";
import { invalidInput } from "./errors";
import { describeFirstIssue } from "../descript/joi-message";

/** Parses `input` or throws Descript's 400 with a Joi-style message. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw invalidInput(describeFirstIssue(parsed.error.issues));
  return parsed.data;
}

// Joi strings refuse "" unless told otherwise, so every sandbox string is non-empty.
const text = z.string().min(1);
const httpUrl = z.url({ protocol: /^https?$/ });
const teamAccess = z.enum(["edit", "comment", "view", "none"]);
const language = text.optional();

const urlImportSchema = z.strictObject({ url: httpUrl, language });
const directUploadSchema = z.strictObject({ content_type: text, file_size: z.int().min(0), language });
const multitrackSchema = z.strictObject({
  tracks: z.array(z.strictObject({ media: text, offset: z.number().optional() })).min(1),
});

export const importRequestSchema = z.strictObject({
  project_id: z.uuid().optional(),
  project_name: text.optional(),
  team_access: teamAccess.optional(),
  folder_name: text.optional(),
  workspace_name: text.optional(),
  add_media: z.record(text, z.union([urlImportSchema, directUploadSchema, multitrackSchema])).optional(),
  add_compositions: z
    .array(
      z.strictObject({
        name: text.optional(),
        width: z.int().optional(),
        height: z.int().optional(),
        fps: z.number().optional(),
        clips: z.array(z.strictObject({ media: text })),
      }),
    )
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
    model: text.default("auto"),
    prompt: text,
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
  media_type: z.enum(["Video", "Audio"]).default("Video"),
  resolution: z.enum(["480p", "720p", "1080p", "1440p", "4K"]).optional(),
  access_level: z.enum(["public", "unlisted", "drive", "private"]).optional(),
  callback_url: httpUrl.optional(),
});
export type PublishRequest = z.output<typeof publishRequestSchema>;

const isoTimestamp = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** Query strings are open (unknown parameters are ignored): only bodies are documented as closed. */
export const listJobsQuerySchema = z.object({
  project_id: z.uuid().optional(),
  type: text.optional(),
  cursor: text.optional(),
  limit: z.coerce.number<string>().pipe(z.int().min(1).max(100)).default(20),
  created_after: isoTimestamp.optional(),
  created_before: isoTimestamp.optional(),
});
export type ListJobsQuery = z.output<typeof listJobsQuerySchema>;
