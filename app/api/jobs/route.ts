// GET /api/jobs — the console's list (lib/jobs/list-route.ts). `npm run dev` and `npm start` answer
// it in front of Next (lib/server/front-listener.ts); this route serves it when Next runs alone.
import { listJobsRoute } from "@/lib/jobs/list-route";

export const dynamic = "force-dynamic";

export const GET = listJobsRoute;
