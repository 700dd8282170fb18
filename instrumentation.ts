// Runs once when a server instance starts. The work lives in a Node-only module so that the Edge
// build of this file never sees Node APIs.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServerInstance } = await import("@/lib/server/start");
    await startServerInstance();
  }
}
