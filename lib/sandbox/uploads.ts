// Direct uploads: an import item given as {content_type, file_size} gets a signed URL on the sandbox
// itself (standing in for Descript's signed storage URL); PUT /uploads/<asset_id> with the bytes
// lets the waiting import job proceed.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { SandboxClock } from "./clock";
import { ApiError, notFound } from "./errors";
import { emptyResponse, type SandboxRequest, type SandboxResponse } from "./http";

/** Descript's signed upload URLs expire after 3 hours. */
const UPLOAD_URL_LIFETIME_MS = 3 * 60 * 60 * 1000;
const UPLOAD_PATH = /^\/uploads\/([^/]+)$/;

export interface UploadSlot {
  assetId: string;
  jobId: string;
  ref: string;
}

export interface UploadTicket {
  upload_url: string;
  asset_id: string;
  artifact_id: string;
}

export interface UploadDesk {
  open(options: { jobId: string; ref: string; origin: string }): UploadTicket;
  /** Handles PUT /uploads/<asset_id>; calls onReceived when a valid upload arrived. */
  receive(request: SandboxRequest, onReceived: (slot: UploadSlot) => void): SandboxResponse;
  clear(): void;
}

export function isUploadPath(pathname: string): boolean {
  return UPLOAD_PATH.test(pathname);
}

export function createUploadDesk(clock: SandboxClock): UploadDesk {
  const secret = randomBytes(32);
  const slots = new Map<string, UploadSlot>();
  const sign = (assetId: string, expires: string) =>
    createHmac("sha256", secret).update(`${assetId}:${expires}`).digest("hex");

  return {
    open({ jobId, ref, origin }) {
      const assetId = randomUUID();
      slots.set(assetId, { assetId, jobId, ref });
      const expires = String(Math.floor((clock.now() + UPLOAD_URL_LIFETIME_MS) / 1000));
      const query = new URLSearchParams({ expires, signature: sign(assetId, expires) });
      return { upload_url: `${origin}/uploads/${assetId}?${query}`, asset_id: assetId, artifact_id: randomUUID() };
    },
    receive(request, onReceived) {
      const assetId = UPLOAD_PATH.exec(request.url.pathname)?.[1] ?? "";
      const slot = slots.get(assetId);
      if (request.method !== "PUT" || !slot) throw notFound("Upload not found");
      const expires = request.url.searchParams.get("expires") ?? "";
      const signature = Buffer.from(request.url.searchParams.get("signature") ?? "");
      const expected = Buffer.from(sign(assetId, expires));
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        throw new ApiError("forbidden", "The upload URL signature is invalid");
      }
      if (Number(expires) * 1000 <= clock.now()) throw new ApiError("forbidden", "The upload URL has expired");
      onReceived(slot);
      return emptyResponse(200);
    },
    clear() {
      slots.clear();
    },
  };
}
