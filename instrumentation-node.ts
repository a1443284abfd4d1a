import { authSecret } from "@/lib/auth/auth-secret";
import { secretBox } from "@/lib/crypto/encryption-key";
import { getDatabase } from "@/lib/runtime";
import { embeddedRunnerEnabled, startConfiguredRunner } from "@/lib/runner/start-configured-runner";

/** Node.js only (imported from instrumentation.ts): starts the embedded runner unless Inngest drives due actions. */
export async function startServerRunner(): Promise<void> {
  // A public deployment without AUTH_SECRET stops here, at start-up, rather than at the first sign-in or mail.
  authSecret();
  // Likewise a public deployment without KEIZOKU_ENCRYPTION_KEY, rather than when a merchant first saves a Stripe key.
  secretBox();
  if (!embeddedRunnerEnabled()) return;
  const runner = startConfiguredRunner(await getDatabase());
  const stop = () => void runner.stop();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
