import { z } from "zod";
import { SANDBOX_TEST_CARDS, SAVABLE_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import { addPaymentMethod } from "./add-payment-method";
import { authorize } from "./authorize";
import type { ServiceContext } from "./context";
import { createCustomer, createCustomerInput } from "./create-customer";
import { invalid, parseInput } from "./errors";
import { getTestClock } from "./queries/test-clocks";

export const createTestClockCustomerInput = z.object({
  testClockId: z.string().min(1),
  name: createCustomerInput.shape.name,
  email: createCustomerInput.shape.email,
  card: z.enum(SAVABLE_TEST_CARDS).default("succeed"),
});

/**
 * A customer on a test clock with a sandbox test card saved as their default, as a merchant trying the API would
 * make one (POST /customers with test_clock, /sandbox/tokens, /customers/{id}/payment_methods) — through the same
 * services. The card is tokenized first, so a clock that is gone or a gateway without test cards leaves nothing.
 */
export async function createTestClockCustomer(ctx: ServiceContext, input: z.input<typeof createTestClockCustomerInput>) {
  const data = parseInput(createTestClockCustomerInput, input);
  authorize(ctx.actor, "test_clocks.operate");
  const clock = await getTestClock(ctx, data.testClockId);
  const { primary } = ctx.gateways;
  if (primary.name !== "sandbox" || !primary.testControls) throw invalid("Test cards are only available while the sandbox is the payment gateway", "card", "sandbox_only");
  // Valid for three years of the clock's own time, however far it is advanced in a test.
  const token = await primary.testControls.createToken({ number: SANDBOX_TEST_CARDS[data.card], expMonth: 12, expYear: clock.frozenTime.getUTCFullYear() + 3, cvc: "123" }, clock.frozenTime);
  const customer = await createCustomer(ctx, { name: data.name, email: data.email, testClockId: clock.id });
  const paymentMethod = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  return { customer, paymentMethod };
}
