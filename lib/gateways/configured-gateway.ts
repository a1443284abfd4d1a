import type { Db } from "@/db/client";
import type { PaymentGateway } from "./payment-gateway";
import { createSandboxGateway } from "./sandbox";

/** The gateway this deployment charges through: the built-in sandbox until a real gateway is configured. */
export function configuredGateway(db: Db): PaymentGateway {
  return createSandboxGateway(db);
}
