import { boolean, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, merchantId } from "./columns";
import { plans } from "./catalogue";
import { merchants } from "./merchants";

/** Which optional customer details a checkout page asks for. */
export type CheckoutCollect = { phone: boolean; address: boolean };

/** A merchant's hosted checkout for one plan: the page `/checkout/{id}` signs a customer up to it. */
export const checkoutLinks = pgTable(
  "checkout_links",
  {
    id: text("id").primaryKey(),
    merchantId: merchantId().references(() => merchants.id),
    planId: text("plan_id").notNull().references(() => plans.id),
    /** Where the customer is sent after signing up; none = Keizoku's own success page. */
    successUrl: text("success_url"),
    collect: jsonb("collect").$type<CheckoutCollect>().notNull().default({ phone: false, address: false }),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("checkout_links_merchant_idx").on(t.merchantId, t.id)],
);
