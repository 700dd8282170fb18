import { describe, expect, it } from "vitest";
import { createFaultQueue } from "@/lib/sandbox/faults";
import { createRequestRecord } from "@/lib/sandbox/requests";

describe("aimed faults", () => {
  it("meet only the requests they are aimed at; the others pass them by", () => {
    const faults = createFaultQueue();
    faults.add({ status: 503, method: "DELETE" }, 1);
    faults.add({ status: 502, method: "GET", pathPrefix: "/jobs/a" }, 1);
    expect(faults.take({ method: "GET", path: "/jobs/b" })).toBeUndefined();
    expect(faults.take({ method: "POST", path: "/jobs/a" })).toBeUndefined();
    expect(faults.take({ method: "GET", path: "/jobs/a" })).toMatchObject({ status: 502 });
    expect(faults.take({ method: "DELETE", path: "/jobs/b" })).toMatchObject({ status: 503 });
    expect(faults.pendingCount()).toBe(0);
  });
});

describe("the request record", () => {
  it("lists requests received since a time, oldest first, and keeps the newest", () => {
    const record = createRequestRecord(2);
    for (const at of [3, 1, 2]) record.add({ received_at: at, answered_at: at + 1, method: "GET", path: "/v1/status", status: 200 });
    expect(record.list(2).map((request) => request.received_at)).toEqual([2, 3]);
    record.add({ received_at: 4, answered_at: 5, method: "GET", path: "/v1/status", status: 200 });
    expect(record.list(0).map((request) => request.received_at)).toEqual([2, 4]);
  });
});
