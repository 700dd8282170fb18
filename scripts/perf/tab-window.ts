// One browser window of tabs, as a person has them open: one tab in front, the rest behind it and
// hidden (document.visibilityState "hidden"), which is how Chromium renders them (not at all) and
// how Jobdeck treats them (components/jobs/change-applier.ts). Playwright cannot show this: every
// page it drives counts as shown, even a background tab of a headed window. So this is headed
// Chromium on a virtual display (Xvfb), driven over the DevTools protocol through a pipe, with no
// emulation of any kind. The bench's live part measures twenty tabs this way (docs/decisions/0015).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { CHROMIUM_ARGS, chromiumPath } from "../chromium";
import { sleep } from "./harness";

export interface Tab {
  targetId: string;
  sessionId: string;
}

type Pending = { resolve: (result: unknown) => void; reject: (error: Error) => void; method: string };
type EventListener = (event: { method: string; params: Record<string, unknown>; sessionId?: string }) => void;

/** Whether this machine can run a headed browser on a virtual display (Debian: apt-get install xvfb chromium). */
export function canOpenTabWindow(): boolean {
  return chromiumPath !== undefined && spawnSync("sh", ["-c", "command -v Xvfb"]).status === 0;
}

export class TabWindow {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<EventListener>();

  private constructor(
    private readonly display: ChildProcess,
    private readonly browser: ChildProcess,
    private readonly profileDir: string,
  ) {
    const output = browser.stdio[4] as Readable;
    let buffered = "";
    output.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let end: number;
      while ((end = buffered.indexOf("\0")) >= 0) {
        this.receive(JSON.parse(buffered.slice(0, end)) as Record<string, unknown>);
        buffered = buffered.slice(end + 1);
      }
    });
  }

  /** Starts Xvfb on a free display and a headed Chromium on it, with one blank tab. */
  static async open(): Promise<TabWindow> {
    const displayNumber = 90 + Math.floor(Math.random() * 400);
    const display = spawn("Xvfb", [`:${displayNumber}`, "-screen", "0", "1280x900x24", "-nolisten", "tcp"], { stdio: "ignore" });
    const socket = `/tmp/.X11-unix/X${displayNumber}`;
    for (let waited = 0; !fs.existsSync(socket); waited += 50) {
      if (waited > 10_000 || display.exitCode !== null) throw new Error(`Xvfb did not start on :${displayNumber}`);
      await sleep(50);
    }
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "jobdeck-bench-window-"));
    // As a person's browser runs: no flags that keep background tabs from being backgrounded.
    const browser = spawn(chromiumPath!, [...CHROMIUM_ARGS, "--remote-debugging-pipe", `--user-data-dir=${profileDir}`, "--window-size=1280,900", "about:blank"], {
      env: { ...process.env, DISPLAY: `:${displayNumber}` },
      stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"],
    });
    const window = new TabWindow(display, browser, profileDir);
    await window.send("Target.setDiscoverTargets", { discover: true });
    return window;
  }

  /** A new tab behind the others, with `headers` on every request it makes, at `url`. */
  async openTab(url: string, headers: Record<string, string>): Promise<Tab> {
    const { targetId } = (await this.send("Target.createTarget", { url: "about:blank", newWindow: false, background: true })) as { targetId: string };
    const { sessionId } = (await this.send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
    const tab = { targetId, sessionId };
    await this.send("Network.enable", {}, tab);
    await this.send("Network.setExtraHTTPHeaders", { headers }, tab);
    await this.send("Page.navigate", { url }, tab);
    return tab;
  }

  /** Brings `tab` to the front of the window: it is shown, every other tab is hidden. */
  async activate(tab: Tab): Promise<void> {
    await this.send("Target.activateTarget", { targetId: tab.targetId });
  }

  /** Closes the blank tab the browser started with, so that only the bench's tabs are open. */
  async closeOtherTabs(keep: Tab[]): Promise<void> {
    const { targetInfos } = (await this.send("Target.getTargets", {})) as { targetInfos: Array<{ targetId: string; type: string }> };
    const kept = new Set(keep.map((tab) => tab.targetId));
    for (const target of targetInfos) if (target.type === "page" && !kept.has(target.targetId)) await this.send("Target.closeTarget", { targetId: target.targetId });
  }

  /** Evaluates `expression` in the tab's page (awaiting a promise) and answers its value. */
  async evaluate<T>(tab: Tab, expression: string): Promise<T> {
    const answer = (await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, tab)) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (answer.exceptionDetails) throw new Error(answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text);
    return answer.result.value;
  }

  /** Waits until `expression` is truthy in the tab. */
  async waitFor(tab: Tab, expression: string, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(tab, `Boolean(${expression})`).catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  /** Every request any tab sends, by its URL. */
  onRequest(listener: (url: string) => void): void {
    this.listeners.add((event) => {
      if (event.method === "Network.requestWillBeSent") listener((event.params.request as { url: string }).url);
    });
  }

  async close(): Promise<void> {
    this.browser.kill("SIGTERM");
    await new Promise((resolve) => (this.browser.exitCode !== null ? resolve(null) : this.browser.once("exit", resolve)));
    this.display.kill("SIGTERM");
    fs.rmSync(this.profileDir, { recursive: true, force: true });
  }

  private send(method: string, params: Record<string, unknown>, tab?: Tab): Promise<unknown> {
    const id = this.nextId++;
    const input = this.browser.stdio[3] as Writable;
    input.write(`${JSON.stringify({ id, method, params, ...(tab ? { sessionId: tab.sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
  }

  private receive(message: Record<string, unknown>): void {
    if (typeof message.id === "number") {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      const error = message.error as { message: string } | undefined;
      if (error) waiting?.reject(new Error(`${waiting.method}: ${error.message}`));
      else waiting?.resolve(message.result);
      return;
    }
    for (const listener of this.listeners) listener(message as Parameters<EventListener>[0]);
  }
}
