/**
 * Seed 000's life on a test clock, as its customer's inbox sees it. The server under test delivers its mails through
 * the official resend SDK to a local stand-in for Resend's servers (Resend cannot be reached from here; see
 * e2e/resend-stand-in-server.ts), and this test reads what arrived there: each of the eight mails once, in Japanese,
 * the card-update link of a charge-failed mail opening the card page, the receipt's link opening the receipt.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { mails } from "@/db/schema";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { advanceTestClock } from "@/lib/services/advance-test-clock";
import { createCustomer } from "@/lib/services/create-customer";
import { createPlan } from "@/lib/services/create-plan";
import { createProduct } from "@/lib/services/create-product";
import { createSubscription } from "@/lib/services/create-subscription";
import { createTestClock } from "@/lib/services/create-test-clock";
import { expect, expectAccessible, test } from "./support/fixtures";
import { inbox, linkIn } from "./support/inbox";

test.use({ signedInAs: null });

const jst = (local: string) => new Date(`${local}+09:00`);

test("seed 000 on a test clock: eight mails, each delivered once, their links working", async ({ page, server }) => {
  test.setTimeout(120_000);
  const ctx = await server.as("owner");
  const tag = randomUUID().slice(0, 8);
  const address = `seed000-${tag}@mail.e2e.test`;
  const clock = await createTestClock(ctx, { frozenTime: jst("2027-01-10T12:00:00"), name: `seed 000 ${tag}` });
  const product = await createProduct(ctx, { name: `オンライン英会話 ${tag}` });
  const plan = await createPlan(ctx, { productId: product.id, name: "月謝プラン", amount: 3000, interval: "month", trialDays: 14, joiningFee: 5000 });
  const customer = await createCustomer(ctx, { name: "受信 花子", email: address, testClockId: clock.id });
  const controls = ctx.gateways.byName("sandbox")!.testControls!;
  const token = await controls.createToken({ number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" }, jst("2027-01-10T12:00:00"));
  const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
  await createSubscription(ctx, { customerId: customer.id, planId: plan.id });
  const advance = (local: string) => advanceTestClock(ctx, { testClockId: clock.id, frozenTime: jst(local) });

  // The trial converts (joining fee + first month, ¥8,000); then the card declines at the renewal.
  await advance("2027-01-24T09:00:00");
  await controls.setCardBehavior(card.gatewayRef, "decline");
  await advance("2027-02-24T12:00:00");

  // The charge-failed mail arrives; its button opens the card page of this contract.
  await expect.poll(async () => (await inbox(address)).length, { timeout: 30_000 }).toBe(3);
  const failed = (await inbox(address)).find((message) => message.subject.includes("お支払いができませんでした"))!;
  expect(failed.from).toContain("デモ商店");
  await page.goto(linkIn(failed, "/mypage/card"));
  await expect(page.getByRole("heading", { name: "カード情報の更新", level: 1 })).toBeVisible();
  await expect(page.getByTestId("contract-status")).toHaveText("お支払いが確認できていません");
  await expectAccessible(page);

  // The receipt's link opens the receipt of the ¥8,000 payment.
  const receipt = (await inbox(address)).find((message) => message.subject.includes("お支払いありがとうございます"))!;
  expect(receipt.text).toContain("¥8,000");
  await page.goto(linkIn(receipt, "/r/"));
  await expect(page.getByTestId("receipt-total")).toContainText("¥8,000");

  // Two retries fail, the contract goes unpaid, the dunning notices follow, and it is withdrawn.
  for (const local of ["2027-03-03T12:00:00", "2027-03-10T12:00:00", "2027-05-02T00:30:00", "2027-06-01T00:00:00"]) await advance(local);
  await expect.poll(async () => (await inbox(address)).length, { timeout: 30_000 }).toBe(8);

  const rows = await server.database.db.select().from(mails).where(eq(mails.customerId, customer.id)).orderBy(mails.queuedAt, mails.id);
  expect(rows.map((row) => row.template)).toEqual(["welcome", "charge_succeeded", "charge_failed", "charge_failed", "charge_failed", "unpaid_notice", "final_notice", "withdrawal_notice"]);
  expect(rows.every((row) => row.status === "sent" && row.providerMessageId && row.testClockId === clock.id)).toBe(true);
  // What arrived is what the outbox says was sent: one message per row, no more.
  const received = await inbox(address);
  expect(new Set(received.map((message) => message.id))).toEqual(new Set(rows.map((row) => row.providerMessageId)));
  expect(received.map((message) => message.subject).sort()).toEqual(rows.map((row) => row.subject!).sort());
  expect(received.find((message) => message.subject.includes("退会"))!.text).toContain("受信 花子様");
});
