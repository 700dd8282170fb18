// POST /api/callbacks/descript/{token} — Descript (or the sandbox), with the URL Jobdeck gave it.
// Public: the per-submission token in the URL is the only credential (docs/decisions/0006), so
// this adapter is the one route not declared through route()'s access.
// `npm run dev` and `npm start` answer this path in the plain node:http listener in front of Next
// (lib/server/front-listener.ts); this route serves it when Next runs alone (`next dev`,
// `next start`). Both are the same function (docs/decisions/0017).
import { answerCallback } from "@/lib/jobs/callbacks";
import { requestIdOf, toResponse } from "@/lib/server/route";

export const dynamic = "force-dynamic";

export async function POST(request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await context.params;
  const answer = await answerCallback({
    token,
    headers: request.headers,
    requestId: requestIdOf(request.headers.get("x-request-id")),
    declaredLength: request.headers.get("content-length"),
    body: request.body,
  });
  return toResponse(answer);
}
