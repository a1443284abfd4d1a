import { compareDates, type LocalDate, parseLocalDate } from "@/lib/billing/calendar";
import { nextSettlementPeriod, type SettlementPeriod, settlementPeriodOf } from "./settlement-period";
import { type AtobaraiFees, orderFee, type SettlementCycle } from "./settings";

/**
 * The next settlement period to close (立替の締め), and its cycle, or null when it has not ended by `today`: after the
 * last close, or, before the first, the period of the earliest sale. A changed cycle starts at `nextCycleFrom`.
 */
export function nextPeriodToClose(input: {
  lastEnd: string | null;
  firstSaleOn: LocalDate | null;
  cycle: SettlementCycle;
  nextCycle: SettlementCycle | null;
  nextCycleFrom: string | null;
  today: LocalDate;
}): { period: SettlementPeriod; cycle: SettlementCycle; cycleChanged: boolean } | null {
  const cycleFrom = (start: LocalDate) => {
    const changed = input.nextCycle !== null && input.nextCycleFrom !== null && compareDates(start, parseLocalDate(input.nextCycleFrom)) >= 0;
    return { cycle: changed ? input.nextCycle! : input.cycle, cycleChanged: changed };
  };
  let period: SettlementPeriod;
  let chosen: { cycle: SettlementCycle; cycleChanged: boolean };
  if (input.lastEnd) {
    const previousEnd = parseLocalDate(input.lastEnd);
    chosen = cycleFrom(previousEnd.add({ days: 1 }));
    period = nextSettlementPeriod({ start: previousEnd, end: previousEnd }, chosen.cycle);
  } else {
    if (!input.firstSaleOn) return null;
    chosen = cycleFrom(input.firstSaleOn);
    period = settlementPeriodOf(input.firstSaleOn, chosen.cycle);
  }
  // A period closes at the end of its last day.
  if (compareDates(period.end, input.today) >= 0) return null;
  return { period, ...chosen };
}

export type StatementLine = { orderId: string; kind: "sale" | "fee" | "reversal"; amount: number; description: string };
export type StatementTotals = { sales: number; fees: number; reversals: number; net: number; orderCount: number };

/**
 * One close's statement: each order shipped in it (not on a statement yet) as a sale and its fee, and each order
 * returned or canceled after an earlier statement paid for it as a reversal of its whole amount. Signed yen per
 * line; the totals are positive amounts and net = sales − fees − reversals.
 */
export function buildStatement(
  sales: readonly { id: string; orderRef: string; amount: number }[],
  reversals: readonly { id: string; orderRef: string; amount: number; status: string }[],
  fees: AtobaraiFees,
): { lines: StatementLine[]; totals: StatementTotals } {
  const lines: StatementLine[] = [];
  for (const order of sales) {
    lines.push({ orderId: order.id, kind: "sale", amount: order.amount, description: order.orderRef });
    const fee = orderFee(order.amount, fees);
    if (fee > 0) lines.push({ orderId: order.id, kind: "fee", amount: -fee, description: order.orderRef });
  }
  for (const order of reversals) lines.push({ orderId: order.id, kind: "reversal", amount: -order.amount, description: `${order.orderRef} (${order.status})` });
  const sum = (kind: StatementLine["kind"]) => lines.filter((l) => l.kind === kind).reduce((total, l) => total + Math.abs(l.amount), 0);
  const totals = { sales: sum("sale"), fees: sum("fee"), reversals: sum("reversal"), net: 0, orderCount: sales.length };
  totals.net = totals.sales - totals.fees - totals.reversals;
  return { lines, totals };
}
