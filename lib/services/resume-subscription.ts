import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { invoices } from "@/db/schema";
import { decideResume } from "@/lib/billing/decisions/resume";
import type { PlannedAction } from "@/lib/billing/effects";
import { effects } from "@/lib/billing/effects";
import { isEnded } from "@/lib/billing/subscription-state";
import type { ServiceContext } from "./context";
import { parseInput } from "./errors";
import { collectNow, openCharge } from "./internal/collect";
import { contractFacts } from "./internal/contract";
import { accepted, onContract } from "./internal/contract-verb";
import { runPlannedNow } from "./internal/due-now";
import type { PreparedCharge } from "./internal/payment-attempts";
import { loadSubscription } from "./read-subscription";

export const resumeSubscriptionInput = z.object({ subscriptionId: z.string().min(1) });

/**
 * The one resume button (see decideResume): undoes an end-of-period cancellation, un-pauses, restores a contract
 * that still has paid time, or restarts an ended one with a charge. A restart whose charge is declined changes
 * nothing and is reported; a second press while a restart charge is in flight replays it, never charges again.
 */
export async function resumeSubscription(ctx: ServiceContext, input: z.input<typeof resumeSubscriptionInput>) {
  const data = parseInput(resumeSubscriptionInput, input);
  const started = await onContract(ctx, data.subscriptionId, "contracts.operate", async (tx, contract, writer): Promise<{ prepared?: PreparedCharge; dueNow?: PlannedAction[] }> => {
    const { sub } = contract;
    const restarts = isEnded(sub.status)
      ? await tx
          .select()
          .from(invoices)
          .where(and(eq(invoices.merchantId, ctx.merchantId), eq(invoices.subscriptionId, sub.id), eq(invoices.kind, "resume")))
      : [];
    const inFlight = restarts.find((i) => i.status === "open");
    if (inFlight) return { prepared: (await openCharge(tx, writer, contract, { invoice: inFlight }, "resume")).prepared ?? undefined };
    const decision = accepted(decideResume(contractFacts(contract), restarts.length + 1));
    if ("charge" in decision) {
      writer.apply(contract, effects({ audit: [{ action: "subscription.resume_requested", data: { billingKey: decision.charge.billingKey } }] }));
      return { prepared: (await openCharge(tx, writer, contract, { draft: decision.charge }, "resume")).prepared ?? undefined };
    }
    writer.apply(contract, decision);
    return { dueNow: decision.plan.filter((a) => a.dueAt.getTime() <= contract.now.getTime()) };
  });
  if (started.prepared) await collectNow(ctx, started.prepared, data.subscriptionId);
  if (started.dueNow) await runPlannedNow(ctx, started.dueNow, data.subscriptionId);
  return loadSubscription(ctx, data.subscriptionId);
}
