import type { Db } from "@/db/client";
import { type Gateways, gatewayRegistry } from "./gateways";
import { createSandboxGateway } from "./sandbox";

/** The gateways this deployment charges through: the built-in sandbox until a real gateway is configured. */
export function configuredGateways(db: Db): Gateways {
  return gatewayRegistry(createSandboxGateway(db));
}
