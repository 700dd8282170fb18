// How Jobdeck's browser tests and the bench's live part launch Chromium: Debian's when the machine
// has it (CI, these machines), Playwright's own elsewhere.
import fs from "node:fs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium, or undefined for Playwright's own. */
export const chromiumPath = fs.existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;

/** Without the networking flags Chromium floods the closed network with refused connections. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
