// Request and answer shapes of the sign-in, account, people and key routes, shared with the pages.
import { z } from "zod";
import { ROLES } from "./permissions";

export const roleSchema = z.enum(ROLES);

export const signInBodySchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(256),
  rememberMe: z.boolean().optional(),
});

export const newPersonBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  password: z.string().min(12, "at least 12 characters").max(256),
  role: roleSchema,
});

export const setupBodySchema = newPersonBodySchema.omit({ role: true });

export const personChangeBodySchema = z
  .object({ role: roleSchema.optional(), disabled: z.boolean().optional() })
  .refine((change) => change.role !== undefined || change.disabled !== undefined, "name a role or disabled");

export const newKeyBodySchema = z.object({ name: z.string().trim().min(1).max(100), role: roleSchema });

export interface AccountAnswer {
  kind: "user" | "key";
  name: string;
  email: string | null;
  role: z.infer<typeof roleSchema>;
}

export interface PersonSummary {
  id: string;
  name: string;
  email: string;
  role: z.infer<typeof roleSchema>;
  disabledAt: string | null;
  createdAt: string;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  role: z.infer<typeof roleSchema>;
  /** The key's first characters, to tell keys apart; never the whole key. */
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface SessionSummary {
  id: string;
  createdAt: string;
  expiresAt: string;
  ipAddress: string | null;
  userAgent: string | null;
  isCurrent: boolean;
}
