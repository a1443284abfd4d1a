/** Next.js calls this once when the server starts: the embedded runner lives inside the server process. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServerRunner } = await import("./instrumentation-node");
    await startServerRunner();
  }
}
