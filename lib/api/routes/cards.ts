import { z } from "zod";
import type { GatewayTestControls } from "@/lib/gateways/payment-gateway";
import { SANDBOX_BEHAVIORS, SandboxCardError } from "@/lib/gateways/sandbox";
import { validateSandboxCard } from "@/lib/gateways/sandbox-cards";
import { addPaymentMethod, addPaymentMethodInput } from "@/lib/services/add-payment-method";
import { ServiceError } from "@/lib/services/errors";
import { listPaymentMethods } from "@/lib/services/queries/customers";
import type { ServiceContext } from "@/lib/services/context";
import { setTestCardBehavior } from "@/lib/services/set-test-card-behavior";
import { apiParamName, invalidRequest } from "../errors";
import { listOf, listQuery, toList } from "../list";
import { paymentMethodObject, tokenObject, toPaymentMethod } from "../objects/customers";
import { route } from "../router";

/** Stripe's codes for a card form's field errors. */
const CARD_FIELD_CODES: Record<SandboxCardError["param"], string> = {
  number: "invalid_number",
  expMonth: "invalid_expiry_month",
  expYear: "invalid_expiry_year",
  cvc: "invalid_cvc",
};

/** Tokens that cannot be attached are the caller's mistake (400), not a declined card (402). */

/** The sandbox's test controls: its card form and card behaviours exist only while it is the primary gateway. */
function requireSandbox(ctx: ServiceContext): GatewayTestControls {
  const { primary } = ctx.gateways;
  if (primary.name !== "sandbox" || !primary.testControls) throw invalidRequest("Test helpers are only available while the sandbox is the payment gateway", null, "sandbox_only");
  return primary.testControls;
}

const cardDateField = z.union([z.number().int(), z.string().max(10)]);

export const cardRoutes = [
  route({
    method: "POST",
    path: "/sandbox/tokens",
    tag: "Sandbox",
    summary: "Tokenize a test card (sandbox gateway only; stands in for the gateway's card form)",
    body: z.strictObject({
      number: z
        .string()
        .max(40)
        .describe(
          "Digits, spaces allowed. 4242424242424242 succeeds, 4000000000000341 declines, 4000000000009995 has insufficient funds, 4000000000000069 is an expired card and 4000000000009987 a lost one (hard declines), 4000002760003184 asks the customer to authenticate every charge (authentication_required), 4000000000000002 is refused when attached",
        ),
      exp_month: cardDateField.describe("1–12"),
      exp_year: cardDateField.describe("Four digits"),
      cvc: z.string().max(10).describe("3 or 4 digits"),
    }),
    response: tokenObject,
    handler: async ({ ctx, body }) => {
      const controls = requireSandbox(ctx);
      const input = { number: body.number, expMonth: body.exp_month, expYear: body.exp_year, cvc: body.cvc };
      const now = ctx.clock.now();
      try {
        const card = validateSandboxCard(input, now);
        const token = await controls.createToken(input, now);
        return { id: token.id, object: "token", card: { brand: card.brand, last4: card.last4, exp_month: card.expMonth, exp_year: card.expYear } };
      } catch (error) {
        if (error instanceof SandboxCardError) {
          const code = error.param === "expYear" && /expired/i.test(error.message) ? "expired_card" : CARD_FIELD_CODES[error.param];
          throw invalidRequest(error.message, apiParamName(error.param), code);
        }
        throw error;
      }
    },
  }),
  route({
    method: "POST",
    path: "/customers/{id}/payment_methods",
    tag: "Payment methods",
    summary: "Save a card from a token as the customer's payment method (and default)",
    body: z.strictObject({
      token: addPaymentMethodInput.shape.token.describe("A one-time token (tok_...) from the gateway's card form"),
      make_default: addPaymentMethodInput.shape.makeDefault,
    }),
    response: paymentMethodObject,
    handler: async ({ ctx, params, body }) => {
      try {
        return toPaymentMethod(await addPaymentMethod(ctx, { customerId: params.id!, token: body.token, makeDefault: body.make_default }));
      } catch (error) {
        if (error instanceof ServiceError && error.code === "not_found" && error.details.param === "customer") {
          throw new ServiceError("not_found", error.message, { param: "id" });
        }
        throw error;
      }
    },
  }),
  route({
    method: "GET",
    path: "/customers/{id}/payment_methods",
    tag: "Payment methods",
    summary: "List a customer's payment methods, newest first",
    query: listQuery,
    response: listOf(paymentMethodObject),
    handler: async ({ ctx, params, query }) => toList(await listPaymentMethods(ctx, params.id!, { limit: query.limit, startingAfter: query.starting_after }), toPaymentMethod),
  }),
  route({
    method: "POST",
    path: "/test_helpers/payment_methods/{id}/behavior",
    tag: "Sandbox",
    summary: "Set what a saved sandbox card does on its next charges",
    body: z.strictObject({ behavior: z.enum(SANDBOX_BEHAVIORS) }),
    response: paymentMethodObject,
    handler: async ({ ctx, params, body }) => {
      requireSandbox(ctx);
      try {
        return toPaymentMethod(await setTestCardBehavior(ctx, { paymentMethodId: params.id!, behavior: body.behavior }));
      } catch (error) {
        if (error instanceof ServiceError && error.code === "not_found") throw new ServiceError("not_found", error.message, { param: "id" });
        throw error;
      }
    },
  }),
];
