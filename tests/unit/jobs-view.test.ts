import { hashKey } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { formatDuration, recordExpiresAt } from "@/components/jobs/format";
import { jobKeys } from "@/components/jobs/query-keys";
import { PAGE_SIZE, loadJobView, serializeJobView, toFilterQuery, toListQuery } from "@/components/jobs/search-params";
import { jobListQuerySchema } from "@/lib/jobs/api-types";

describe("the /jobs view in the URL", () => {
  it("turns the same address into the same list query on the server and in the browser", () => {
    const view = loadJobView("?state=running&q=%20intro%20&project=&sort=created_asc&cursor=abc&unknown=1");
    expect(toListQuery(view)).toEqual({ state: "running", q: "intro", sort: "created_asc", limit: PAGE_SIZE, cursor: "abc" });
    const reordered = loadJobView("?cursor=abc&sort=created_asc&q=intro&state=running");
    expect(hashKey(jobKeys.list(toListQuery(reordered)))).toBe(hashKey(jobKeys.list(toListQuery(view))));
    expect(jobListQuerySchema.safeParse(toListQuery(view)).success).toBe(true);
  });

  it("ignores values that are not a state, outcome or sort instead of failing the page", () => {
    const view = loadJobView("?state=exploded&outcome=meh&sort=random");
    expect(toFilterQuery(view)).toEqual({ sort: "created_desc" });
  });

  it("writes a view back as an address without defaults", () => {
    const view = loadJobView("?outcome=partial&q=clip");
    expect(serializeJobView({ ...view, cursor: "next" })).toBe("/jobs?outcome=partial&q=clip&cursor=next");
    expect(serializeJobView({ ...view, cursor: null, q: null })).toBe("/jobs?outcome=partial");
  });
});

describe("times in the job table", () => {
  it("writes durations compactly", () => {
    expect(formatDuration(42_400)).toBe("42s");
    expect(formatDuration(185_000)).toBe("3m 05s");
    expect(formatDuration(3_725_000)).toBe("1h 02m");
    expect(formatDuration(-5)).toBe("0s");
  });

  it("expires a job's record the retention period after its creation", () => {
    expect(recordExpiresAt("2026-01-01T10:00:00.000Z", 30).toISOString()).toBe("2026-01-31T10:00:00.000Z");
  });
});
