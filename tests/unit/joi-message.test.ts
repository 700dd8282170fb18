import { describe, expect, test } from "vitest";
import { z } from "zod";
import { describeFirstIssue, parseDescriptInput } from "@/lib/descript/joi-message";
import {
  CREATE_ENDPOINTS,
  agentRequestSchema,
  importRequestSchema,
  listJobsQuerySchema,
  publishRequestSchema,
} from "@/lib/descript/schemas";

// Parsed exactly as the proxy's routes parse (app/api/v1/_create-job.ts, app/api/v1/jobs/route.ts).
function messageFor(schema: z.ZodType, body: unknown): string {
  const parsed = parseDescriptInput(schema, body);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(body)} to be refused`);
  return parsed.message;
}

const PROJECT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

describe("describeFirstIssue for unknown fields", () => {
  test('an unknown top-level field reads "fps" is not allowed', () => {
    expect(messageFor(publishRequestSchema, { project_id: PROJECT_ID, fps: 30 })).toBe('"fps" is not allowed');
  });

  test("an unknown field in an agent body is named the same way", () => {
    expect(messageFor(agentRequestSchema, { project_id: PROJECT_ID, prompt: "trim the intro", temperature: 1 })).toBe(
      '"temperature" is not allowed',
    );
  });

  test("an unknown key inside an add_media item is named with its full path", () => {
    const body = { add_media: { "intro.mp4": { url: "https://cdn.example.com/intro.mp4", codec: "h264" } } };
    expect(messageFor(importRequestSchema, body)).toBe('"add_media.intro.mp4.codec" is not allowed');
  });

  test("an unknown key inside a direct-upload add_media item is named with its full path", () => {
    const body = { add_media: { "raw.mov": { content_type: "video/quicktime", file_size: 1024, checksum: "abc" } } };
    expect(messageFor(importRequestSchema, body)).toBe('"add_media.raw.mov.checksum" is not allowed');
  });

  test("an unknown key inside an array item is labelled Joi's way, with the index in brackets", () => {
    const body = { add_compositions: [{ clips: [{ media: "intro.mp4", volume: 0.5 }] }] };
    expect(messageFor(importRequestSchema, body)).toBe('"add_compositions[0].clips[0].volume" is not allowed');
  });
});

describe("describeFirstIssue for missing fields", () => {
  test('an agent body without a prompt reads "prompt" is required', () => {
    expect(messageFor(agentRequestSchema, { project_id: PROJECT_ID })).toBe('"prompt" is required');
  });

  test('a publish body without a project_id reads "project_id" is required', () => {
    expect(messageFor(publishRequestSchema, {})).toBe('"project_id" is required');
  });

  test("a missing field inside a nested item is named with its full path", () => {
    // Either label style passes here; the bracket style has its own test above.
    expect(messageFor(importRequestSchema, { add_compositions: [{ name: "Main" }] })).toMatch(
      /^"add_compositions(\.0|\[0\])\.clips" is required$/,
    );
    expect(messageFor(importRequestSchema, { add_compositions: [{ clips: [{}] }] })).toMatch(
      /^"add_compositions(\.0|\[0\])\.clips(\.0|\[0\])\.media" is required$/,
    );
  });
});

describe("describeFirstIssue for values outside an enum", () => {
  test("a bad resolution lists the allowed ones", () => {
    expect(messageFor(publishRequestSchema, { project_id: PROJECT_ID, resolution: "8K" })).toBe(
      '"resolution" must be one of [480p, 720p, 1080p, 1440p, 4K]',
    );
  });

  test("a bad media_type lists the allowed ones", () => {
    expect(messageFor(publishRequestSchema, { project_id: PROJECT_ID, media_type: "Image" })).toBe(
      '"media_type" must be one of [Video, Audio]',
    );
  });

  test("a bad team_access lists the allowed ones", () => {
    expect(messageFor(agentRequestSchema, { project_name: "Launch", prompt: "go", team_access: "owner" })).toBe(
      '"team_access" must be one of [edit, comment, view, none]',
    );
  });
});

describe("describeFirstIssue for values of the wrong type", () => {
  test('a numeric project_id reads "project_id" must be a string', () => {
    expect(messageFor(publishRequestSchema, { project_id: 42 })).toBe('"project_id" must be a string');
  });

  test('a numeric prompt reads "prompt" must be a string', () => {
    expect(messageFor(agentRequestSchema, { project_name: "Launch", prompt: 42 })).toBe('"prompt" must be a string');
  });

  test('a null project_id reads "project_id" must be a string, not is required', () => {
    expect(messageFor(publishRequestSchema, { project_id: null })).toBe('"project_id" must be a string');
  });

  test('add_compositions given as an object reads "add_compositions" must be an array', () => {
    expect(messageFor(importRequestSchema, { add_compositions: { clips: [] } })).toBe('"add_compositions" must be an array');
  });

  test('a body that is an array reads "value" must be of type object', () => {
    expect(messageFor(publishRequestSchema, [])).toBe('"value" must be of type object');
  });

  test("a fractional composition width reads as a wrong type, not as missing", () => {
    expect(messageFor(importRequestSchema, { add_compositions: [{ width: 1.5, clips: [] }] })).toMatch(
      /^"add_compositions(\.0|\[0\])\.width" must be an integer$/,
    );
  });

  test('a non-numeric limit in the list query reads "limit" must be a number', () => {
    expect(messageFor(listJobsQuerySchema, { limit: "lots" })).toBe('"limit" must be a number');
  });

  test("describeFirstIssue words a wrong type from an error whose issues carry the input", () => {
    const parsed = publishRequestSchema.safeParse({ project_id: 42 }, { reportInput: true });
    expect(parsed.success).toBe(false);
    expect(describeFirstIssue(parsed.error!.issues)).toBe('"project_id" must be a string');
  });
});

describe("describeFirstIssue for sizes and formats", () => {
  test('an empty project_name reads "project_name" is not allowed to be empty', () => {
    expect(messageFor(agentRequestSchema, { project_name: "", prompt: "go" })).toBe('"project_name" is not allowed to be empty');
  });

  test("a malformed project_id reads as Descript words it", () => {
    expect(messageFor(publishRequestSchema, { project_id: "" })).toBe("Invalid project_id format");
  });

  test("a multitrack item with no tracks asks for at least 1 item", () => {
    expect(messageFor(importRequestSchema, { add_media: { mix: { tracks: [] } } })).toBe(
      '"add_media.mix.tracks" must contain at least 1 items',
    );
  });

  test.each(["1e1", "0x10", "ten", "-1", " 5"])("a list limit of %j is not a number, as Joi reads a query integer", (limit) => {
    expect(messageFor(listJobsQuerySchema, { limit })).toBe('"limit" must be a number');
  });

  test('a "__proto__" media reference is refused rather than silently dropped', () => {
    const body = JSON.parse('{"project_name":"p","add_media":{"__proto__":{"url":"https://media.example.com/a.mp4"}}}');
    expect(messageFor(importRequestSchema, body)).toBe('"add_media.__proto__" is not allowed');
  });

  test("a list limit below 1 and above 100 name their bounds", () => {
    expect(messageFor(listJobsQuerySchema, { limit: "0" })).toBe('"limit" must be greater than or equal to 1');
    expect(messageFor(listJobsQuerySchema, { limit: "101" })).toBe('"limit" must be less than or equal to 100');
  });

  test("an exclusive minimum is not described as allowed", () => {
    // `.positive()` refuses 0, so "greater than or equal to 0" would contradict the refusal.
    const schema = z.strictObject({ items: z.array(z.strictObject({ width: z.number().positive() })) });
    expect(messageFor(schema, { items: [{ width: 0 }] })).toBe('"items[0].width" must be a positive number');
    expect(messageFor(z.strictObject({ fps: z.number().gt(10) }), { fps: 10 })).toBe('"fps" must be greater than 10');
  });

  test.each(["not a url", "ftp://cdn.example.com/hook", "javascript:alert(1)"])(
    'a callback_url of %j reads "callback_url" must be a valid uri',
    (callbackUrl) => {
      expect(messageFor(publishRequestSchema, { project_id: PROJECT_ID, callback_url: callbackUrl })).toBe(
        '"callback_url" must be a valid uri',
      );
    },
  );
});

describe("the agent schema's project rules", () => {
  test("an agent body with both project_id and project_name is refused with a message naming both", () => {
    const parsed = agentRequestSchema.safeParse({ project_id: PROJECT_ID, project_name: "Launch", prompt: "go" });
    expect(parsed.success).toBe(false);
    const message = describeFirstIssue(parsed.error!.issues);
    expect(message).toContain("project_id");
    expect(message).toContain("project_name");
  });

  test("an agent body with neither project_id nor project_name is refused with a message naming both", () => {
    const parsed = agentRequestSchema.safeParse({ prompt: "go" });
    expect(parsed.success).toBe(false);
    const message = describeFirstIssue(parsed.error!.issues);
    expect(message).toContain("project_id");
    expect(message).toContain("project_name");
  });

  test("an agent body with composition_id but only a project_name is refused on composition_id", () => {
    const parsed = agentRequestSchema.safeParse({ project_name: "Launch", composition_id: "comp-1", prompt: "go" });
    expect(parsed.success).toBe(false);
    const message = describeFirstIssue(parsed.error!.issues);
    expect(message).toContain("composition_id");
    expect(message).toContain("project_id");
  });

  test("an agent body with composition_id and project_id is accepted", () => {
    expect(agentRequestSchema.safeParse({ project_id: PROJECT_ID, composition_id: "comp-1", prompt: "go" }).success).toBe(true);
  });
});

describe("valid create bodies", () => {
  const validImport = {
    project_name: "Launch video",
    team_access: "edit",
    folder_name: "Q3",
    workspace_name: "Marketing",
    add_media: {
      "intro.mp4": { url: "https://cdn.example.com/intro.mp4", language: "en" },
      "raw.mov": { content_type: "video/quicktime", file_size: 10_485_760 },
      "interview": { tracks: [{ media: "intro.mp4" }, { media: "raw.mov", offset: 1.5 }] },
    },
    add_compositions: [{ name: "Main", width: 1920, height: 1080, fps: 29.97, clips: [{ media: "interview" }] }],
    callback_url: "https://hooks.example.com/descript",
  };
  const validAgent = { project_id: PROJECT_ID, composition_id: "comp-1", model: "default", prompt: "Remove filler words" };
  const validAgentByName = { project_name: "New project", prompt: "Add captions", team_access: "view" };
  const validPublish = {
    project_id: PROJECT_ID,
    composition_id: "39677a40-1c43-4c36-8449-46cfbc4de2b5",
    media_type: "Video",
    resolution: "4K",
    access_level: "unlisted",
    callback_url: "http://127.0.0.1:3000/hook",
  };

  test.each([
    { name: "an import with every kind of media item", schema: importRequestSchema, body: validImport },
    { name: "an empty import", schema: importRequestSchema, body: {} },
    { name: "an agent on a project id", schema: agentRequestSchema, body: validAgent },
    { name: "an agent on a new project name", schema: agentRequestSchema, body: validAgentByName },
    { name: "a publish with every option", schema: publishRequestSchema, body: validPublish },
    { name: "a publish with only the project id", schema: publishRequestSchema, body: { project_id: PROJECT_ID } },
  ])("$name is accepted unchanged", ({ schema, body }) => {
    expect(parseDescriptInput(schema, body)).toEqual({ success: true, data: body });
  });

  test("the list query's limit is coerced from its query-string text", () => {
    expect(parseDescriptInput(listJobsQuerySchema, { limit: "50", type: "agent" })).toEqual({
      success: true,
      data: { limit: 50, type: "agent" },
    });
  });

  test("each creatable job type has its upstream path and schema", () => {
    expect(CREATE_ENDPOINTS["import/project_media"]).toEqual({ path: "/jobs/import/project_media", schema: importRequestSchema });
    expect(CREATE_ENDPOINTS.agent).toEqual({ path: "/jobs/agent", schema: agentRequestSchema });
    expect(CREATE_ENDPOINTS.publish).toEqual({ path: "/jobs/publish", schema: publishRequestSchema });
  });
});

describe("describeFirstIssue in general", () => {
  test("only the first issue is described", () => {
    const parsed = importRequestSchema.safeParse({ callback_url: "nope", folder_name: 3, extra: true });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.length).toBeGreaterThan(1);
    const firstOnly = new z.ZodError([parsed.error!.issues[0]!]);
    expect(describeFirstIssue(parsed.error!.issues)).toBe(describeFirstIssue(firstOnly.issues));
  });

  test('no issues at all reads as an invalid "value"', () => {
    expect(describeFirstIssue([])).toBe('"value" is invalid');
  });
});
