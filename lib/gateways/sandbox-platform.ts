import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { asSandbox, type SandboxGateway } from "./sandbox";

/** The deployment's sandbox gateway, for the routes that stand for its servers (card form, challenge); null when another gateway is primary. */
export async function deployedSandbox(): Promise<SandboxGateway | null> {
  return asSandbox(configuredPlatform(await getDatabase()).gateways.primary);
}
