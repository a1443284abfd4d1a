import { bigint, text, timestamp } from "drizzle-orm/pg-core";

/** Every row of the product is owned by one merchant; queries filter on it. */
export const merchantId = () => text("merchant_id").notNull();
/** Money in integer minor units; bigint so that no currency overflows, number mode stays exact to 2^53. */
export const money = (name: string) => bigint(name, { mode: "number" });
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => at("created_at").notNull().defaultNow();
