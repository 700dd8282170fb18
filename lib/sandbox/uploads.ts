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
  /**
   * Handles PUT /uploads/<asset_id>: a valid, unexpired URL answers 200. The first upload to a slot
   * calls onReceived and frees the slot; later ones (or ones after the job ended) change nothing,
   * as a second PUT to a signed storage URL would.
   */
  receive(request: SandboxRequest, onReceived: (slot: UploadSlot) => void): SandboxResponse;
  /** Frees the slots of a job that ended or expired. */
  forgetJob(jobId: string): void;
  /** How many slots still wait for their bytes. */
  openSlotCount(): number;
  clear(): void;
}

export function isUploadPath(pathname: string): boolean {
  return UPLOAD_PATH.test(pathname);
}

export function createUploadDesk(clock: SandboxClock): UploadDesk {
  const secret = randomBytes(32);
  // Only slots still waiting for their bytes: few, so forgetJob may scan them.
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
      if (request.method !== "PUT") throw notFound("Upload not found");
      const assetId = UPLOAD_PATH.exec(request.url.pathname)?.[1] ?? "";
      const expires = request.url.searchParams.get("expires") ?? "";
      const signature = Buffer.from(request.url.searchParams.get("signature") ?? "");
      const expected = Buffer.from(sign(assetId, expires));
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        throw new ApiError("forbidden", "The upload URL signature is invalid");
      }
      if (Number(expires) * 1000 <= clock.now()) throw new ApiError("forbidden", "The upload URL has expired");
      const slot = slots.get(assetId);
      if (slot) {
        slots.delete(assetId);
        onReceived(slot);
      }
      return emptyResponse(200);
    },
    forgetJob(jobId) {
      for (const [assetId, slot] of slots) if (slot.jobId === jobId) slots.delete(assetId);
    },
    openSlotCount: () => slots.size,
    clear() {
      slots.clear();
    },
  };
}
