import type { SandboxTestControls } from "@/lib/gateways/sandbox";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { advanceTestClock } from "@/lib/services/advance-test-clock";
import type { ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/create-customer";
import { createTestClock } from "@/lib/services/create-test-clock";
import { setTestCardBehavior } from "@/lib/services/set-test-card-behavior";
import type { DemoPlanKey } from "./demo-catalogue";
import { signUp } from "./sign-up";

const DAY = 86_400_000;

const CLOCK_CUSTOMERS = [
  { name: "試験 花子", email: "test-clock-hanako@example.jp", plan: "schoolStandard" },
  { name: "試験 太郎", email: "test-clock-taro@example.jp", plan: "saasBasic" },
  { name: "試験 次郎", email: "test-clock-jiro@example.jp", plan: "yogaUnlimited" },
] as const satisfies readonly { name: string; email: string; plan: DemoPlanKey }[];

/**
 * A test clock with three customers, as a merchant trying the API would have: they sign up at the clock's time, the
 * clock is advanced (running their trial's end and renewals), 試験 太郎's card starts to decline, and the clock is
 * advanced again into his retries. Their contracts live on the clock's time, apart from the real ones.
 */
export async function seedDemoTestClock(ctx: ServiceContext, planIds: Record<DemoPlanKey, string>, controls: SandboxTestControls): Promise<void> {
  const start = new Date(ctx.clock.now().getTime() - 45 * DAY);
  const clock = await createTestClock(ctx, { name: "デモ用テストクロック", frozenTime: start });
  const cards: string[] = [];
  for (const person of CLOCK_CUSTOMERS) {
    const customer = await createCustomer(ctx, { name: person.name, email: person.email, testClockId: clock.id });
    const token = await controls.createToken({ number: "4242424242424242", expMonth: 12, expYear: start.getUTCFullYear() + 3, cvc: "123" }, start);
    const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
    cards.push(card.id);
    await signUp(ctx, customer.id, planIds[person.plan]);
  }
  await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: new Date(start.getTime() + 20 * DAY) });
  await setTestCardBehavior(ctx, { paymentMethodId: cards[1]!, behavior: "decline" });
  // Day 40: his renewal (day 28–31) failed and its first retry (+7 days) too; the second (+14) is still ahead.
  await advanceTestClock(ctx, { testClockId: clock.id, frozenTime: new Date(start.getTime() + 40 * DAY) });
}
