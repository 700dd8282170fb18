import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeFirstIssue, formatLabel } from "@/lib/descript/joi-message";
import { agentRequestSchema, importRequestSchema } from "@/lib/descript/schemas";

const messageFor = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) throw new Error("expected the input to be refused");
  return describeFirstIssue(parsed.error.issues);
};

describe("formatLabel", () => {
  it("labels nested keys and array items the way Joi does", () => {
    expect(formatLabel([])).toBe('"value"');
    expect(formatLabel(["prompt"])).toBe('"prompt"');
    expect(formatLabel(["add_compositions", 0, "clips", 2, "media"])).toBe('"add_compositions[0].clips[2].media"');
  });
});

describe("describeFirstIssue", () => {
  it("words unknown, missing, mistyped and out-of-enum fields like Joi", () => {
    expect(messageFor(agentRequestSchema, { project_name: "p", prompt: "x", fps: 1 })).toBe('"fps" is not allowed');
    expect(messageFor(agentRequestSchema, { project_name: "p" })).toBe('"prompt" is required');
    expect(messageFor(agentRequestSchema, { project_name: 7, prompt: "x" })).toBe('"project_name" must be a string');
    expect(messageFor(agentRequestSchema, { project_name: "p", prompt: "x", team_access: "all" })).toBe(
      '"team_access" must be one of [edit, comment, view, none]',
    );
  });

  it("words the agent's exclusive project fields like Joi's xor and with", () => {
    expect(messageFor(agentRequestSchema, { prompt: "x" })).toBe('"value" must contain at least one of [project_id, project_name]');
    expect(messageFor(agentRequestSchema, { prompt: "x", project_name: "p", composition_id: "c" })).toBe(
      '"composition_id" missing required peer "project_id"',
    );
  });

  it("reports on the media alternative the value came closest to", () => {
    expect(messageFor(importRequestSchema, { add_media: { "a.mp4": { url: "nope" } } })).toBe('"add_media.a.mp4.url" must be a valid uri');
    expect(messageFor(importRequestSchema, { add_media: { "a.mp4": { content_type: "video/mp4", file_size: "big" } } })).toBe(
      '"add_media.a.mp4.file_size" must be a number',
    );
    expect(messageFor(importRequestSchema, { add_media: { "a.mp4": 5 } })).toBe('"add_media.a.mp4" must be of type object');
  });

  it("calls a body that is not an object by Joi's name for the root", () => {
    expect(messageFor(importRequestSchema, [])).toBe('"value" must be of type object');
  });
});
