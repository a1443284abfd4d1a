import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import { auditEvents, gatewayEvents, invoices, paymentAttempts, stripeCredentials } from "@/db/schema";
import { SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox-cards";
import type { ServiceContext } from "@/lib/services/context";
import { setStripeCredential } from "@/lib/services/stripe-credentials";
import { seedContract } from "./support/contracts";
import { type ServerData, expect, expectAccessible, test } from "./support/fixtures";
import { storageStateOf } from "./support/server-data";

/**
 * 設定 › Stripe 受信イベント: Stripe's servers cannot be reached from here, so the test posts events as Stripe does —
 * signed with the merchant's signing secret by the official SDK's generateTestHeaderString — to the running app's
 * /api/webhooks/stripe/<merchant>, and the app's embedded runner processes them. The owner sees the empty page with
 * the webhook URL, then the events with their status and result, filters them, opens a failed one with its payload
 * and error, processes it again; the chargeback shows on the contract's invoice. A viewer sees 「もう一度処理する」
 * disabled with the reason. The demo merchant is shared by every spec: the Stripe keys set here are removed after.
 */

const SECRET_KEY = "sk_test_51E2eStripeEventsKey00000";
const SIGNING_SECRET = "whsec_E2eStripeEventsSigning01";

/** A contract of its own whose first charge was made with a sandbox card of this behaviour: the charge's id and invoice. */
async function contractWithCharge(ctx: ServiceContext, server: ServerData, card: string) {
  const { subscriptionId } = await seedContract(ctx, server, { card });
  const [row] = await server.database.db
    .select({ chargeId: paymentAttempts.gatewayChargeId, invoiceId: invoices.id, status: paymentAttempts.status })
    .from(paymentAttempts)
    .innerJoin(invoices, eq(invoices.id, paymentAttempts.invoiceId))
    .where(eq(invoices.subscriptionId, subscriptionId));
  return { subscriptionId, chargeId: row!.chargeId!, invoiceId: row!.invoiceId, attemptStatus: row!.status };
}

test.describe("an owner", () => {
  test("connects Stripe, sees the events received, filters them, opens one and processes it again", async ({ page, server, request, browser, baseURL }) => {
    test.setTimeout(120_000);
    const owner = await server.as("owner");
    const db = server.database.db;
    // Contracts first, on the sandbox: once the Stripe keys are set, the merchant's new cards would be saved at Stripe.
    const paid = await contractWithCharge(owner, server, SANDBOX_TEST_CARDS.succeed);
    const declined = await contractWithCharge(owner, server, SANDBOX_TEST_CARDS.decline);
    expect([paid.attemptStatus, declined.attemptStatus]).toEqual(["succeeded", "failed"]);
    const tag = randomUUID().slice(0, 8);
    const webhookUrl = `${baseURL}/api/webhooks/stripe/${server.merchantId}`;
    try {
      // No other spec posts Stripe events: the page starts empty and says how to connect.
      await page.goto("/console/settings/stripe-events");
      await expect(page.getByRole("heading", { level: 1, name: "Stripe 受信イベント" })).toBeVisible();
      const empty = page.getByTestId("gateway-events-empty");
      await expect(empty).toContainText("まだ Stripe からイベントが届いていません。");
      await expect(empty.getByTestId("stripe-webhook-url")).toHaveText(webhookUrl);
      await expect(empty).toContainText("charge.dispute.created");
      await expect(empty).toContainText("payment_method.automatically_updated");
      await expect(page.getByRole("button", { name: "Webhook の URL をコピー" })).toBeVisible();
      await expectAccessible(page);

      // The billing settings' Stripe section shows the same URL and leads here.
      await page.goto("/console/settings/billing");
      const stripeSection = page.getByTestId("stripe-credentials");
      await expect(stripeSection.getByTestId("stripe-webhook-url")).toHaveText(webhookUrl);
      await expect(stripeSection.getByRole("link", { name: "受信イベントを見る" })).toHaveAttribute("href", "/console/settings/stripe-events");

      await setStripeCredential(owner, { name: "secretKey", value: SECRET_KEY });
      await setStripeCredential(owner, { name: "webhookSecret", value: SIGNING_SECRET });

      let seq = 0;
      const post = async (type: string, object: Record<string, unknown>) => {
        const event = { id: `evt_e2e${tag}${++seq}`, object: "event", api_version: "2025-01-27.acacia", type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } };
        const body = JSON.stringify(event);
        const response = await request.post(`/api/webhooks/stripe/${server.merchantId}`, {
          data: body,
          headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SIGNING_SECRET }) },
        });
        expect(response.status()).toBe(200);
        return event.id;
      };
      const now = Math.floor(Date.now() / 1000);
      const elsewhere = await post("customer.created", { id: `cus_e2e${tag}`, object: "customer" });
      const notOurs = await post("payment_intent.succeeded", { id: `pi_e2e${tag}`, object: "payment_intent", amount: 3000, currency: "jpy", metadata: {} });
      const dispute = await post("charge.dispute.created", {
        id: `dp_e2e${tag}`,
        object: "dispute",
        payment_intent: paid.chargeId,
        amount: 3000,
        currency: "jpy",
        reason: "fraudulent",
        status: "needs_response",
        created: now,
        evidence_details: { due_by: now + 7 * 86_400 },
      });
      // Stripe says it took a payment we recorded as declined: processing cannot settle that, staff must look.
      const late = await post("payment_intent.succeeded", { id: declined.chargeId, object: "payment_intent", amount: 3000, currency: "jpy", metadata: {} });

      await page.goto("/console/settings/stripe-events");
      const row = (eventId: string) => page.getByTestId(`gateway-event-${eventId}`);
      // The runner processes them within seconds; the page asks for itself again while any waits.
      await expect(row(late)).toContainText("失敗", { timeout: 20_000 });
      await expect(row(dispute)).toContainText("処理済み", { timeout: 20_000 });
      await expect(row(dispute)).toContainText("チャージバックを記録しました");
      await expect(row(dispute)).toContainText(`dp_e2e${tag}`);
      await expect(row(elsewhere)).toContainText("対象外", { timeout: 20_000 });
      await expect(row(elsewhere)).toContainText("Keizoku では扱わない種類のイベントです");
      await expect(row(notOurs)).toContainText("対象外", { timeout: 20_000 });
      await expect(row(notOurs)).toContainText("Keizoku の支払いではありません");
      await expect(row(late)).toContainText("確認が必要です");
      await expect(row(late)).toContainText("recorded as declined");
      // Newest received first.
      await expect(page.locator("tr[data-testid^=gateway-event-]").first()).toHaveAttribute("data-testid", `gateway-event-${late}`);
      await expectAccessible(page);

      // Filters live in the URL and are read on the server.
      await page.getByLabel("状態").selectOption({ label: "対象外" });
      await expect(page).toHaveURL(/status=ignored/);
      await expect(page.locator("tr[data-testid^=gateway-event-]")).toHaveCount(2);
      await expect(row(notOurs)).toBeVisible();
      await page.getByLabel("種類").selectOption("payment_intent.succeeded");
      await expect(page).toHaveURL(/type=payment_intent.succeeded/);
      await expect(page.locator("tr[data-testid^=gateway-event-]")).toHaveCount(1);
      await page.getByRole("link", { name: "条件をクリア" }).click();
      await expect(page.locator("tr[data-testid^=gateway-event-]")).toHaveCount(4);
      await page.getByLabel("イベント ID・対象 ID").fill(`DP_E2E${tag}`);
      await page.getByRole("button", { name: "検索" }).click();
      await expect(page).toHaveURL(/q=DP_E2E/);
      await expect(page.locator("tr[data-testid^=gateway-event-]")).toHaveCount(1);
      await expect(row(dispute)).toBeVisible();
      await page.getByLabel("イベント ID・対象 ID").fill("evt_nothing_like_it");
      await page.getByRole("button", { name: "検索" }).click();
      await expect(page.getByTestId("gateway-events-no-match")).toContainText("条件に合うイベントはありません。");
      await expectAccessible(page);

      // The failed one: its error, its payload, and 「もう一度処理する」.
      await page.goto("/console/settings/stripe-events?status=failed");
      await row(late).getByRole("link", { name: "payment_intent.succeeded の詳細" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "payment_intent.succeeded" })).toBeVisible();
      const facts = page.getByTestId("gateway-event-facts");
      await expect(facts).toContainText(late);
      await expect(facts).toContainText("失敗");
      await expect(facts).toContainText("確認が必要です");
      await expect(page.getByTestId("gateway-event-error")).toContainText(`Stripe took the payment ${declined.chargeId}`);
      const payload = page.getByTestId("gateway-event-payload");
      await expect(payload).toContainText(`"id": "${declined.chargeId}"`);
      await expect(payload).toContainText(`"type": "payment_intent.succeeded"`);
      await expectAccessible(page);
      const [before] = await db.select().from(gatewayEvents).where(and(eq(gatewayEvents.merchantId, server.merchantId), eq(gatewayEvents.eventId, late)));
      expect(before).toMatchObject({ status: "failed", attempts: 1 });

      await page.getByRole("button", { name: "もう一度処理する" }).click();
      await expect(page.getByText("もう一度処理します。数秒で結果が表示されます")).toBeVisible();
      // Processed again by the runner: a second attempt, failed again for the same reason (nothing was fixed).
      await expect(facts.getByText("2", { exact: true })).toBeVisible({ timeout: 20_000 });
      await expect(facts).toContainText("失敗");
      const [after] = await db.select().from(gatewayEvents).where(eq(gatewayEvents.id, before!.id));
      expect(after).toMatchObject({ status: "failed", attempts: 2, outcome: "needs_attention" });
      const audited = await db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, server.merchantId), eq(auditEvents.targetId, before!.id)));
      expect(audited.map((a) => a.action)).toEqual(["gateway_event.reprocess"]);

      // An ignored event processed again goes through waiting back to ignored, and the list shows its two attempts.
      await page.goto("/console/settings/stripe-events");
      await row(elsewhere).getByRole("link", { name: "customer.created の詳細" }).click();
      await page.getByRole("button", { name: "もう一度処理する" }).click();
      await expect(page.getByText("もう一度処理します。数秒で結果が表示されます")).toBeVisible();
      await expect(page.getByTestId("gateway-event-facts").getByText("2", { exact: true })).toBeVisible({ timeout: 20_000 });
      await expect(page.getByTestId("gateway-event-facts")).toContainText("対象外");
      await page.getByRole("link", { name: "受信イベントの一覧へ" }).click();
      await expect(row(elsewhere).locator("td").nth(5)).toHaveText("2");

      // The chargeback is on the contract's invoice.
      await page.goto(`/console/subscriptions/${paid.subscriptionId}`);
      await expect(page.getByTestId(`invoice-${paid.invoiceId}`).getByTestId("dispute-badge")).toHaveText("チャージバック（要回答）");
      await expectAccessible(page);

      // A viewer reads the same event, with the button disabled and the reason given.
      const viewer = await browser.newContext({ baseURL, storageState: storageStateOf("viewer") });
      try {
        const viewerPage = await viewer.newPage();
        await viewerPage.goto(`/console/settings/stripe-events/${before!.id}`);
        await expect(viewerPage.getByRole("heading", { level: 1, name: "payment_intent.succeeded" })).toBeVisible();
        await expect(viewerPage.getByRole("button", { name: "もう一度処理する" })).toBeDisabled();
        await expect(viewerPage.getByLabel("イベントの再処理はオーナーと管理者のみが行えます")).toBeVisible();
        await expectAccessible(viewerPage);
      } finally {
        await viewer.close();
      }

      // Another merchant's id, or none, is a 404.
      expect((await page.goto("/console/settings/stripe-events/gev_0000000000000000000000000000000"))!.status()).toBe(404);
    } finally {
      // Other specs add cards for the demo merchant: they must find it on the sandbox.
      await db.delete(stripeCredentials).where(eq(stripeCredentials.merchantId, server.merchantId));
    }
  });
});
