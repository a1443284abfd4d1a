import type { Db } from "@/db/client";
import { isRefusal, type Refusal } from "@/lib/billing/effects";
import { authorize, type Permission } from "../authorize";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { type Contract, lockContract } from "./contract";
import { ContractWriter } from "./contract-writer";

/**
 * The frame of every verb on one contract: one transaction, the contract locked, the caller authorized (an end user
 * only on a contract of their own), and the one writer flushed at the end of the work.
 */
export async function onContract<T>(
  ctx: ServiceContext,
  subscriptionId: string,
  permission: Permission,
  work: (tx: Db, contract: Contract, writer: ContractWriter) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    const contract = await lockContract(tx, ctx.merchantId, subscriptionId, ctx.clock);
    authorize(ctx.actor, permission, { customerId: contract.sub.customerId, what: "subscription", id: subscriptionId });
    const writer = new ContractWriter(ctx);
    const result = await work(tx, contract, writer);
    await writer.flush(tx);
    return result;
  });
}

/** A decision's refusal as the service error a verb raises (nothing is written). */
export function accepted<T extends object>(decision: T | Refusal): T {
  if (isRefusal(decision)) {
    const { code, reason, message, param } = decision.refused;
    throw new ServiceError(code, message, { reason, param });
  }
  return decision;
}
