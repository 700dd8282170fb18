// The one place that decides what each role may do (docs/decisions/0016). Route handlers declare an
// action (lib/server/route.ts), pages ask before they render, and the UI asks to hide buttons: all
// of them read this table. No `server-only`: the browser imports it to hide what it may not use,
// which only spares people a 403; the server decides.

export const ROLES = ["viewer", "editor", "ops", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  /** Jobs, their timelines, the failure and usage reports; the proxy's reads. */
  "jobs:read",
  /** Submit jobs (proxy creates, the console's forms, re-import) and cancel one's own. */
  "jobs:submit",
  /** Cancel and bulk-cancel any job, whoever submitted it. */
  "jobs:cancel-any",
  /** The status strip: upstream budget, sweep runs, webhook silence, stuck jobs; an on-demand sweep. */
  "ops:status",
  "ops:sweep",
  /** People, roles and API keys. */
  "people:manage",
  "keys:manage",
] as const;
export type Action = (typeof ACTIONS)[number];

const GRANTS: Record<Role, readonly Action[]> = {
  viewer: ["jobs:read"],
  editor: ["jobs:read", "jobs:submit"],
  ops: ["jobs:read", "jobs:submit", "jobs:cancel-any", "ops:status", "ops:sweep"],
  admin: ACTIONS,
};

export function can(role: Role | null | undefined, action: Action): boolean {
  return role ? GRANTS[role].includes(action) : false;
}

/** Who is asking, as far as deciding is concerned: a role and the id jobs record as their submitter. */
export interface Principal {
  role: Role;
  /** `user:<id>` or `key:<id>`, as stored in jobs.submitter_id. */
  principalId: string;
}

/** Cancel is the one decision that needs the job: editors may cancel what they submitted themselves. */
export function canCancelJob(principal: Principal | null | undefined, job: { submitterId: string | null }): boolean {
  if (!principal) return false;
  if (can(principal.role, "jobs:cancel-any")) return true;
  return can(principal.role, "jobs:submit") && job.submitterId !== null && job.submitterId === principal.principalId;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
