import { NonRetriableError } from "inngest";
import { ServiceError } from "@/lib/services/errors";

/**
 * Runs a step's work and translates the service error family once for Inngest: a ServiceError is a verdict
 * (retrying changes nothing), so it ends the run, except `unavailable` (the gateway did not answer), which a
 * retry may cure. Anything else is thrown as is and retried by Inngest.
 */
export async function asStep<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ServiceError && error.code !== "unavailable") {
      throw new NonRetriableError(`${error.code}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
