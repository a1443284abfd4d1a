/** Next.js calls this once when the server starts: the embedded runner lives inside the server process. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { embeddedRunnerEnabled, startConfiguredRunner } = await import("@/lib/runner/start-configured-runner");
  if (!embeddedRunnerEnabled()) return;
  const { getDatabase } = await import("@/lib/runtime");
  const runner = startConfiguredRunner(await getDatabase());
  const stop = () => void runner.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
