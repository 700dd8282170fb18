import { describe, expect, it } from "vitest";
import { createClock } from "@/lib/sandbox/clock";
import type { SandboxRequest } from "@/lib/sandbox/http";
import { createUploadDesk, type UploadSlot } from "@/lib/sandbox/uploads";

function put(uploadUrl: string): SandboxRequest {
  return { method: "PUT", url: new URL(uploadUrl), headers: {}, body: { bytes: Buffer.from("x"), size: 1 }, origin: "http://127.0.0.1" };
}

describe("the upload desk", () => {
  it("frees a slot once its bytes arrived; a second upload answers 200 and changes nothing", () => {
    const desk = createUploadDesk(createClock());
    const ticket = desk.open({ jobId: "job", ref: "a.mp4", origin: "http://127.0.0.1:1" });
    const received: UploadSlot[] = [];
    expect(desk.openSlotCount()).toBe(1);
    expect(desk.receive(put(ticket.upload_url), (slot) => received.push(slot)).status).toBe(200);
    expect(desk.openSlotCount()).toBe(0);
    expect(desk.receive(put(ticket.upload_url), (slot) => received.push(slot)).status).toBe(200);
    expect(received.map((slot) => slot.ref)).toEqual(["a.mp4"]);
  });

  it("frees the slots of a job that ended, and still checks signatures", () => {
    const desk = createUploadDesk(createClock());
    const ticket = desk.open({ jobId: "ended", ref: "a.mp4", origin: "http://127.0.0.1:1" });
    desk.open({ jobId: "other", ref: "b.mp4", origin: "http://127.0.0.1:1" });
    desk.forgetJob("ended");
    expect(desk.openSlotCount()).toBe(1);
    const received: UploadSlot[] = [];
    expect(desk.receive(put(ticket.upload_url), (slot) => received.push(slot)).status).toBe(200);
    expect(received).toEqual([]);
    expect(() => desk.receive(put(`${ticket.upload_url}0`), () => {})).toThrow("signature is invalid");
  });
});
