import { and, desc, eq, inArray } from "drizzle-orm";
import { customers, invoices, mails, paymentAttempts, paymentMethods, scheduledActions, subscriptions } from "@/db/schema";
import type { InvoiceKind, InvoiceStatus } from "@/db/schema/invoices";
import type { MailTemplate } from "@/lib/billing/mail-template";
import type { MailStatus } from "@/lib/mail/mail-settings";
import type { ServiceContext } from "../context";
import { attemptCharge, type TimelineEvent } from "./subscriptions";
import { getTestClock } from "./test-clocks";

type ReadContext = Pick<ServiceContext, "db" | "merchantId">;

/** The newest this many of each kind are read; the page shows what ran lately, not a clock's whole history. */
export const CLOCK_ACTIVITY_LIMIT = 200;

type About = { id: string; at: Date; subscriptionId: string | null; customer: { id: string; name: string } | null };

/**
 * One thing that happened on a test clock, at the clock's time: a scheduled action that ran (done, skipped or
 * failed), an invoice issued, a charge tried, a mail queued. Language-neutral, like the contract's timeline (whose
 * event shapes the actions and charges reuse, so lib/i18n/timeline.ts words them).
 */
export type ClockActivity =
  | (About & { kind: "action"; event: Extract<TimelineEvent, { type: "action" }> })
  | (About & { kind: "invoice"; invoiceKind: InvoiceKind; status: InvoiceStatus; total: number; currency: string })
  | (About & { kind: "payment"; event: Extract<TimelineEvent, { type: "payment" }> })
  | (About & { kind: "mail"; template: MailTemplate; status: MailStatus; to: string });

/** Where a kind falls among things at the same instant: the action runs, issues its invoice, charges it, then mails. */
const KIND_ORDER: Record<ClockActivity["kind"], number> = { action: 0, invoice: 1, payment: 2, mail: 3 };

/** The time-ordered part of a prefixed uuid v7 id: ties in time fall back to the order things were written. */
const writeOrder = (id: string) => id.slice(id.indexOf("_") + 1);

const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** By time; at one instant (sign-ups at the clock's start, renewals at midnight) contract by contract, in write order. */
function compare(a: ClockActivity, b: ClockActivity): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  const byContract = byText(a.subscriptionId ? writeOrder(a.subscriptionId) : "", b.subscriptionId ? writeOrder(b.subscriptionId) : "");
  if (byContract !== 0) return byContract;
  const byKind = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (byKind !== 0) return byKind;
  return byText(writeOrder(a.id), writeOrder(b.id));
}

/**
 * What ran on a test clock, oldest first: its executed scheduled actions, the invoices and charges of its contracts
 * and its mails, each at the clock time it happened. At most CLOCK_ACTIVITY_LIMIT entries: the newest ones.
 */
export async function testClockActivity(ctx: ReadContext, clockId: string): Promise<ClockActivity[]> {
  const clock = await getTestClock(ctx, clockId);
  const scope = { merchantId: ctx.merchantId, clockId: clock.id };
  const [people, actions, invoiceRows, attempts, mailRows] = await Promise.all([
    ctx.db
      .select({ id: customers.id, name: customers.name })
      .from(customers)
      .where(and(eq(customers.merchantId, scope.merchantId), eq(customers.testClockId, scope.clockId))),
    ctx.db
      .select({ action: scheduledActions, subscriptionCustomer: subscriptions.customerId, cardCustomer: paymentMethods.customerId })
      .from(scheduledActions)
      .leftJoin(subscriptions, eq(subscriptions.id, scheduledActions.subscriptionId))
      .leftJoin(paymentMethods, eq(paymentMethods.id, scheduledActions.paymentMethodId))
      .where(and(eq(scheduledActions.merchantId, scope.merchantId), eq(scheduledActions.testClockId, scope.clockId), inArray(scheduledActions.status, ["done", "skipped", "failed"])))
      .orderBy(desc(scheduledActions.completedAt), desc(scheduledActions.id))
      .limit(CLOCK_ACTIVITY_LIMIT),
    ctx.db
      .select({ invoice: invoices })
      .from(invoices)
      .innerJoin(subscriptions, eq(subscriptions.id, invoices.subscriptionId))
      .where(and(eq(invoices.merchantId, scope.merchantId), eq(subscriptions.testClockId, scope.clockId)))
      .orderBy(desc(invoices.issuedAt), desc(invoices.id))
      .limit(CLOCK_ACTIVITY_LIMIT),
    ctx.db
      .select({ attempt: paymentAttempts, invoiceKind: invoices.kind, subscriptionId: invoices.subscriptionId, customerId: invoices.customerId })
      .from(paymentAttempts)
      .innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId))
      .innerJoin(subscriptions, eq(subscriptions.id, invoices.subscriptionId))
      .where(and(eq(paymentAttempts.merchantId, scope.merchantId), eq(subscriptions.testClockId, scope.clockId)))
      .orderBy(desc(paymentAttempts.attemptedAt), desc(paymentAttempts.id))
      .limit(CLOCK_ACTIVITY_LIMIT),
    ctx.db
      .select()
      .from(mails)
      .where(and(eq(mails.merchantId, scope.merchantId), eq(mails.testClockId, scope.clockId)))
      .orderBy(desc(mails.queuedAt), desc(mails.id))
      .limit(CLOCK_ACTIVITY_LIMIT),
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const customer = (id: string | null | undefined) => (id && names.has(id) ? { id, name: names.get(id)! } : null);

  const entries: ClockActivity[] = [
    ...actions.map(({ action, subscriptionCustomer, cardCustomer }): ClockActivity => ({
      kind: "action",
      id: action.id,
      at: action.completedAt ?? action.dueAt,
      subscriptionId: action.subscriptionId,
      customer: customer(subscriptionCustomer ?? cardCustomer),
      event: {
        type: "action",
        action: action.kind,
        state: action.status,
        retryNumber: action.payload.retryNumber ?? null,
        manual: action.payload.manual === true,
        template: action.payload.template ?? null,
        outcome: action.outcome,
      },
    })),
    ...invoiceRows.map(({ invoice }): ClockActivity => ({
      kind: "invoice",
      id: invoice.id,
      at: invoice.issuedAt,
      subscriptionId: invoice.subscriptionId,
      customer: customer(invoice.customerId),
      invoiceKind: invoice.kind,
      status: invoice.status,
      total: invoice.total,
      currency: invoice.currency,
    })),
    ...attempts.map(({ attempt, invoiceKind, subscriptionId, customerId }): ClockActivity => ({
      kind: "payment",
      id: attempt.id,
      at: attempt.attemptedAt,
      subscriptionId,
      customer: customer(customerId),
      event: { type: "payment", charge: attemptCharge(attempt, invoiceKind), amount: attempt.amount, currency: attempt.currency, result: attempt.status, failureCode: attempt.failureCode },
    })),
    ...mailRows.map((mail): ClockActivity => ({
      kind: "mail",
      id: mail.id,
      at: mail.queuedAt,
      subscriptionId: mail.subscriptionId,
      customer: customer(mail.customerId),
      template: mail.template,
      status: mail.status,
      to: mail.toAddress,
    })),
  ];
  return entries.sort(compare).slice(-CLOCK_ACTIVITY_LIMIT);
}
