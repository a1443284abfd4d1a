import { z } from "zod";
import type { checkoutLinks } from "@/db/schema";
import { iso, timestamp } from "../list";

export const checkoutLinkObject = z
  .object({
    id: z.string(),
    object: z.literal("checkout_link"),
    plan: z.string(),
    url: z.string().describe("The hosted checkout page to send customers to"),
    success_url: z.string().nullable().describe("Where a customer goes after signing up; null = Keizoku's own success page"),
    collect: z.object({ phone: z.boolean(), address: z.boolean() }).describe("Which optional customer details the page asks for"),
    active: z.boolean(),
    created: timestamp,
  })
  .meta({ id: "CheckoutLink" });

export function checkoutLinkUrl(baseUrl: string, id: string): string {
  return `${baseUrl.replace(/\/$/, "")}/checkout/${id}`;
}

export function toCheckoutLink(row: typeof checkoutLinks.$inferSelect, baseUrl: string): z.infer<typeof checkoutLinkObject> {
  return {
    id: row.id,
    object: "checkout_link",
    plan: row.planId,
    url: checkoutLinkUrl(baseUrl, row.id),
    success_url: row.successUrl,
    collect: row.collect,
    active: row.active,
    created: iso(row.createdAt)!,
  };
}
