import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { cancelSubscription } from "@/lib/services/cancel-subscription";
import { type Clock, fixedClock, type ServiceContext } from "@/lib/services/context";
import { systemContext } from "@/lib/services/contexts";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { ServiceError } from "@/lib/services/errors";
import { runActionsInDueOrder } from "@/lib/services/run-due-actions";
import type { DemoSeedContext } from "./seed";

const DAY = 86_400_000;

type Member = { name: string; email: string; card?: string; plan: "english" | "yoga" | "annual" | "bento"; signupDaysAgo: number; then?: Array<{ daysAgo: number; act: "card_declines" | "cancel_now" | "cancel_at_period_end" }> };

/** The demo merchant's members: contracts in every state, reached by living their history, not by writing states. */
const MEMBERS: Member[] = [
  { name: "佐藤 花子", email: "hanako@example.jp", plan: "english", signupDaysAgo: 3 },
  { name: "鈴木 一郎", email: "ichiro@example.jp", plan: "english", signupDaysAgo: 75 },
  { name: "高橋 美咲", email: "misaki@example.jp", plan: "yoga", signupDaysAgo: 50 },
  { name: "田中 健", email: "ken@example.jp", plan: "annual", signupDaysAgo: 200 },
  { name: "伊藤 さくら", email: "sakura@example.jp", plan: "bento", signupDaysAgo: 30 },
  // Monthly from the end of a 14-day trial: the renewal fell a few days ago and is being retried.
  { name: "渡辺 翔", email: "sho@example.jp", plan: "english", signupDaysAgo: 50, then: [{ daysAgo: 20, act: "card_declines" }] },
  // Retries at +7 d and +14 d are used up: unpaid, with the unpaid notice sent.
  { name: "山本 由美", email: "yumi@example.jp", plan: "english", signupDaysAgo: 60, then: [{ daysAgo: 45, act: "card_declines" }] },
  // Unpaid long enough for the final notice, the withdrawal notice and withdrawal.
  { name: "中村 大輔", email: "daisuke@example.jp", plan: "english", signupDaysAgo: 130, then: [{ daysAgo: 100, act: "card_declines" }] },
  { name: "小林 直子", email: "naoko@example.jp", plan: "yoga", signupDaysAgo: 90, then: [{ daysAgo: 10, act: "cancel_now" }] },
  { name: "加藤 誠", email: "makoto@example.jp", plan: "english", signupDaysAgo: 25, then: [{ daysAgo: 5, act: "cancel_at_period_end" }] },
  { name: "吉田 愛", email: "ai@example.jp", plan: "annual", signupDaysAgo: 1, card: SANDBOX_TEST_CARDS.decline },
];

/** Products and plans of a small Japanese merchant, then members who signed up over the last months. */
export async function seedDemoContracts(seed: DemoSeedContext): Promise<void> {
  const { platform } = seed;
  const controls = platform.gateways.primary.testControls;
  if (!controls) throw new Error("The demo merchant's history needs a test gateway (the sandbox)");
  const now = platform.clock.now();
  const at = (daysAgo: number): Clock => fixedClock(new Date(now.getTime() - daysAgo * DAY));
  const ctx = (clock: Clock): ServiceContext => systemContext({ ...platform, clock }, seed.merchantId, "seed");
  const start = ctx(at(220));

  const english = await createProduct(start, { name: "オンライン英会話", description: "毎月のレッスン受け放題" });
  const yoga = await createProduct(start, { name: "ヨガ教室 月会費", description: "毎月27日払い・初月日割" });
  const club = await createProduct(start, { name: "ファンクラブ 年会費" });
  const bento = await createProduct(start, { name: "お弁当定期便", description: "毎週月曜お届け" });
  const plans = {
    english: await createPlan(start, { productId: english.id, name: "スタンダード", amount: 3300, interval: "month", trialDays: 14, trialReminderDays: 3, joiningFee: 5500 }),
    yoga: await createPlan(start, { productId: yoga.id, name: "月会費", amount: 8800, interval: "month", billingDay: 27, firstPeriod: "prorate" }),
    annual: await createPlan(start, { productId: club.id, name: "年会費", amount: 12000, interval: "year" }),
    bento: await createPlan(start, { productId: bento.id, name: "週1回", amount: 1500, interval: "week", billingDay: 1, firstPeriod: "full", taxRate: 8 }),
  };

  type Event = { daysAgo: number; run(): Promise<void> };
  const events: Event[] = [];
  for (const member of MEMBERS) {
    const state: { subscriptionId?: string; cardRef?: string } = {};
    events.push({
      daysAgo: member.signupDaysAgo,
      run: async () => {
        const c = ctx(at(member.signupDaysAgo));
        const customer = await createCustomer(c, { name: member.name, email: member.email });
        const token = await controls.createToken({ number: member.card ?? SANDBOX_TEST_CARDS.succeed, expMonth: 12, expYear: 2030, cvc: "123" }, c.clock.now());
        const card = await addPaymentMethod(c, { customerId: customer.id, token: token.id });
        state.cardRef = card.gatewayRef;
        state.subscriptionId = await signUp(c, customer.id, plans[member.plan].id);
      },
    });
    for (const step of member.then ?? []) {
      events.push({
        daysAgo: step.daysAgo,
        run: async () => {
          const c = ctx(at(step.daysAgo));
          if (step.act === "card_declines") await controls.setCardBehavior(state.cardRef!, "decline");
          else await cancelSubscription(c, { subscriptionId: state.subscriptionId!, atPeriodEnd: step.act === "cancel_at_period_end", reason: "デモ: 会員からの解約" });
        },
      });
    }
  }
  events.sort((a, b) => b.daysAgo - a.daysAgo);
  for (const event of events) {
    await runActionsInDueOrder(platform, { merchantId: seed.merchantId, testClockId: null }, at(event.daysAgo).now());
    await event.run();
  }
  await runActionsInDueOrder(platform, { merchantId: seed.merchantId, testClockId: null }, now);
}

/** A sign-up whose first charge may be declined on purpose: the contract stays incomplete, which the demo shows. */
async function signUp(ctx: ServiceContext, customerId: string, planId: string): Promise<string> {
  try {
    return (await createSubscription(ctx, { customerId, planId })).id;
  } catch (error) {
    if (error instanceof ServiceError && error.code === "payment_declined" && error.details.subscriptionId) return error.details.subscriptionId;
    throw error;
  }
}
