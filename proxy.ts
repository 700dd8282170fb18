// Runs before every page: a fresh nonce per request and the Content Security Policy that allows
// only scripts carrying it. Next reads the nonce from the request's CSP header and puts it on its
// own scripts, so pages render dynamically (they already do: the layout reads the session).
// The headers that need no nonce are set for every path in next.config.mjs.
import { NextResponse, type NextRequest } from "next/server";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const isDev = process.env.NODE_ENV === "development";
  const policy = [
    "default-src 'self'",
    // 'strict-dynamic': scripts that Next's nonced scripts load are trusted too; dev's React needs eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    // Charts and Radix set style attributes, which nonces cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Pages only: API answers are JSON (their headers come from next.config.mjs), and static files
  // carry no script that needs a nonce. Prefetches need no fresh policy either.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon|manifest).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
