import { describe, expect, it } from "vitest";
import { MAX_CALLBACK_DELAY_MS, readMediaBehaviour, readScenario, refusesRangeRequests } from "@/lib/sandbox/scenarios";

describe("readScenario", () => {
  it("an untagged request runs normally with one immediate callback", () => {
    expect(readScenario(["My project", "remove filler words"])).toEqual({
      outcome: "normal",
      isProjectUnchanged: false,
      callback: { copies: 1, delayMs: 0, isEarly: false },
    });
  });

  it("finds tags in any of the texts, in any case", () => {
    expect(readScenario([undefined, "intro #ERROR.mp4"]).outcome).toBe("error");
    expect(readScenario(["#stall"]).outcome).toBe("stall");
    expect(readScenario(["edit", "#nochange please"]).isProjectUnchanged).toBe(true);
  });

  it("reads the numbers of #dup=N and #delay=MS", () => {
    expect(readScenario(["x #dup=3 #delay=250"]).callback).toEqual({ copies: 3, delayMs: 250, isEarly: false });
  });

  it("#drop means no copy at all, whatever #dup says", () => {
    expect(readScenario(["#drop #dup=4"]).callback.copies).toBe(0);
  });

  it("#stall wins over #error and cancels #early, since a stalled job never stops", () => {
    const scenario = readScenario(["#error #stall #early"]);
    expect(scenario.outcome).toBe("stall");
    expect(scenario.callback.isEarly).toBe(false);
  });

  it("does not mistake a longer word for a tag", () => {
    expect(readScenario(["#errors and #stalled"]).outcome).toBe("normal");
    expect(readScenario(["#earlybird"]).callback.isEarly).toBe(false);
  });

  it("caps #dup so a typo cannot flood a receiver", () => {
    expect(readScenario(["#dup=100000"]).callback.copies).toBe(20);
  });

  it("reads #dup=0 as one delivery: only #drop suppresses the callback", () => {
    expect(readScenario(["#dup=0"]).callback.copies).toBe(1);
  });

  it("caps #delay at an hour, so no timer overflows", () => {
    expect(MAX_CALLBACK_DELAY_MS).toBe(3_600_000);
    expect(readScenario(["#delay=3600000"]).callback.delayMs).toBe(3_600_000);
    expect(readScenario(["#delay=99999999999999999999"]).callback.delayMs).toBe(MAX_CALLBACK_DELAY_MS);
  });
});

describe("readMediaBehaviour", () => {
  it("reads the marker from the URL path only", () => {
    expect(readMediaBehaviour("https://cdn.example.com/fail/a.mp4")).toBe("fail");
    expect(readMediaBehaviour("https://cdn.example.com/media/slow/a.mp4")).toBe("slow");
    expect(readMediaBehaviour("https://cdn.example.com/a.mp4?next=/fail/")).toBe("normal");
    expect(readMediaBehaviour("https://cdn.example.com/failure/a.mp4")).toBe("normal");
  });
});

describe("refusesRangeRequests", () => {
  it("is true for a /norange/ path only", () => {
    expect(refusesRangeRequests("https://cdn.example.com/norange/a.mp4")).toBe(true);
    expect(refusesRangeRequests("https://cdn.example.com/a.mp4?next=/norange/")).toBe(false);
    expect(refusesRangeRequests("https://cdn.example.com/norangers/a.mp4")).toBe(false);
  });
});
