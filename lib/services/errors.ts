import type { DeclineKind } from "@/lib/billing/decline";
import type { z } from "zod";

export type ServiceErrorCode = "not_found" | "conflict" | "invalid" | "payment_declined" | "forbidden" | "unavailable";

/** The one error family services raise; each adapter maps it once (HTTP status, form message, Inngest). */
export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /**
     * param: the offending field; reason: a machine-readable cause; for a declined card, its decline code and kind
     * (hard: a new card is needed), the invoice it left and the contract; for a card that needs 3-D Secure, the
     * gateway's challenge page (actionUrl); for a checkout whose first charge was declined, the token that continues
     * it (continuation), and for a new checkout customer whose card waits for 3-D Secure, the token that keeps that
     * customer for the card sent again (pendingCustomer).
     */
    readonly details: {
      param?: string;
      reason?: string;
      declineCode?: string;
      declineKind?: DeclineKind;
      invoiceId?: string;
      subscriptionId?: string;
      actionUrl?: string;
      continuation?: string;
      pendingCustomer?: string;
    } = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const notFound = (what: string, id: string, param?: string) => new ServiceError("not_found", `No such ${what}: '${id}'`, { param });
export const conflict = (message: string, reason?: string) => new ServiceError("conflict", message, { reason });
export const invalid = (message: string, param?: string, reason?: string) => new ServiceError("invalid", message, { param, reason });
export const forbidden = (message: string, reason?: string) => new ServiceError("forbidden", message, { reason });

export function fromZodError(error: z.ZodError): ServiceError {
  const issue = error.issues[0];
  const param = issue?.path.map(String).join(".") || undefined;
  return new ServiceError("invalid", issue ? `${param ? `${param}: ` : ""}${issue.message}` : "Invalid input", { param });
}

/** Validates a service's input with its zod schema, raising `invalid` with the offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}
