import { z } from "zod";
import { createCheckoutLink, createCheckoutLinkInput } from "@/lib/services/create-checkout-link";
import { getCheckoutLink, listCheckoutLinks } from "@/lib/services/queries/checkout-links";
import { setCheckoutLinkActive } from "@/lib/services/set-checkout-link-active";
import { listOf, listQuery, toList } from "../list";
import { checkoutLinkObject, toCheckoutLink } from "../objects/checkout-links";
import { route } from "../router";

export const checkoutLinkRoutes = [
  route({
    method: "POST",
    path: "/checkout_links",
    tag: "Checkout links",
    summary: "Create a hosted checkout link for a plan (the page states the 特定商取引法 final confirmation and takes the card in gateway-hosted fields)",
    body: z.strictObject({
      plan: createCheckoutLinkInput.shape.planId,
      success_url: z.string().max(2000).optional().describe("An http(s) URL the customer is sent to after signing up"),
      collect: z
        .strictObject({ phone: z.boolean().optional().describe("Ask for a phone number (required on the page)"), address: z.boolean().optional().describe("Ask for a Japanese postal address (required on the page)") })
        .optional(),
    }),
    response: checkoutLinkObject,
    handler: async ({ ctx, body }) =>
      toCheckoutLink(
        await createCheckoutLink(ctx, { planId: body.plan, successUrl: body.success_url, collect: { phone: body.collect?.phone ?? false, address: body.collect?.address ?? false } }),
        ctx.links.baseUrl,
      ),
  }),
  route({
    method: "GET",
    path: "/checkout_links",
    tag: "Checkout links",
    summary: "List checkout links, newest first",
    query: listQuery.extend({ plan: z.string().optional() }),
    response: listOf(checkoutLinkObject),
    handler: async ({ ctx, query }) => toList(await listCheckoutLinks(ctx, { limit: query.limit, startingAfter: query.starting_after, planId: query.plan }), (row) => toCheckoutLink(row, ctx.links.baseUrl)),
  }),
  route({
    method: "GET",
    path: "/checkout_links/{id}",
    tag: "Checkout links",
    summary: "Retrieve a checkout link",
    response: checkoutLinkObject,
    handler: async ({ ctx, params }) => toCheckoutLink(await getCheckoutLink(ctx, params.id!), ctx.links.baseUrl),
  }),
  route({
    method: "POST",
    path: "/checkout_links/{id}",
    tag: "Checkout links",
    summary: "Turn a checkout link off (its page answers 404; contracts already made are untouched) or on again",
    body: z.strictObject({ active: z.boolean().describe("false: nobody can sign up through the link; true: it works again (409 plan_inactive if its plan is retired)") }),
    response: checkoutLinkObject,
    handler: async ({ ctx, params, body }) => toCheckoutLink(await setCheckoutLinkActive(ctx, { linkId: params.id!, active: body.active }), ctx.links.baseUrl),
  }),
];
