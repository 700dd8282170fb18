import { describe, expect, test } from "vitest";
import { can, canCancelJob, ROLES } from "@/lib/auth/permissions";
import { redactText } from "@/lib/server/redact";

describe("redactText and the secrets of people and programs", () => {
  test("removes API keys, session cookies and password fields wherever they appear", () => {
    const line = JSON.stringify({
      body: '{"email":"a@example.com","password":"hunter2 \\"quoted\\""}',
      cookie: "jobdeck.session_token=abc123.sig; theme=dark",
      authorization: "Bearer jdk_AAAbbbCCC-ddd_eee",
      note: "key jdk_ZZZyyyXXX pasted in a message",
    });
    const scrubbed = redactText(line);
    for (const secret of ["hunter2", "abc123", "jdk_AAAbbbCCC", "jdk_ZZZyyyXXX"]) expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toContain("a@example.com");
    expect(scrubbed).toContain("theme=dark");
  });
});

describe("permissions", () => {
  test("each role may do what the README's table says, and nothing more", () => {
    const table = Object.fromEntries(ROLES.map((role) => [role, (["jobs:read", "jobs:submit", "jobs:cancel-any", "ops:status", "ops:sweep", "people:manage", "keys:manage"] as const).filter((action) => can(role, action))]));
    expect(table).toEqual({
      viewer: ["jobs:read"],
      editor: ["jobs:read", "jobs:submit"],
      ops: ["jobs:read", "jobs:submit", "jobs:cancel-any", "ops:status", "ops:sweep"],
      admin: ["jobs:read", "jobs:submit", "jobs:cancel-any", "ops:status", "ops:sweep", "people:manage", "keys:manage"],
    });
    expect(can(null, "jobs:read")).toBe(false);
  });

  test("editors cancel only what they submitted; ops any job, also one from before sign-in", () => {
    const editor = { role: "editor" as const, principalId: "user:e" };
    expect(canCancelJob(editor, { submitterId: "user:e" })).toBe(true);
    expect(canCancelJob(editor, { submitterId: "user:other" })).toBe(false);
    expect(canCancelJob(editor, { submitterId: null })).toBe(false);
    expect(canCancelJob({ role: "viewer", principalId: "user:v" }, { submitterId: "user:v" })).toBe(false);
    expect(canCancelJob({ role: "ops", principalId: "key:o" }, { submitterId: null })).toBe(true);
    expect(canCancelJob(null, { submitterId: "user:e" })).toBe(false);
  });
});
