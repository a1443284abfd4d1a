import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, plans, products, subscriptions } from "@/db/schema";
import type { StaffRole } from "@/lib/auth/roles";
import type { ServiceContext } from "@/lib/services/context";
import { openTestDatabase } from "@/test/support/database";
import { rejection, setupTestMerchant, staffMemberOf, signedUpContract, type TestMerchant } from "@/test/support/merchant";
import { archivePlan } from "./archive-plan";
import { createPlan } from "./create-plan";
import { createProduct } from "./create-product";
import { createCheckoutLink } from "./create-checkout-link";
import { listCatalogue } from "./queries/catalogue";
import { loadCheckoutPage } from "./queries/checkout-links";
import { updateProduct } from "./update-product";

describe("catalogue: editing products, archiving products and plans", () => {
  let database: Database;
  let m: TestMerchant;
  let other: TestMerchant;
  const staff = {} as Record<StaffRole, ServiceContext>;
  const now = new Date("2027-01-01T00:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase();
    m = await setupTestMerchant(database);
    other = await setupTestMerchant(database);
    for (const role of ["owner", "admin", "operator", "viewer"] as const) staff[role] = await staffMemberOf(database, m, role, now);
  });
  afterAll(async () => database.close());

  const productRow = async (id: string) => (await database.db.select().from(products).where(eq(products.id, id)))[0]!;
  const auditsOf = async (id: string) => (await database.db.select().from(auditEvents).where(eq(auditEvents.targetId, id)).orderBy(auditEvents.id)).map((a) => ({ action: a.action, data: a.data, actorType: a.actorType }));

  it("renames and re-describes a product, keeping what changed in the audit log; an unchanged field writes nothing", async () => {
    const product = await createProduct(staff.owner, { name: "ヨガ教室", description: "週1回" });
    const updated = await updateProduct(staff.admin, { productId: product.id, name: "  ヨガ教室（夜） ", description: "" });
    expect(updated).toMatchObject({ name: "ヨガ教室（夜）", description: null, active: true });
    await updateProduct(staff.owner, { productId: product.id, name: "ヨガ教室（夜）", description: null });
    expect(await auditsOf(product.id)).toEqual([
      { action: "product.created", data: {}, actorType: "staff" },
      { action: "product.updated", data: { before: { name: "ヨガ教室", description: "週1回" }, after: { name: "ヨガ教室（夜）", description: null } }, actorType: "staff" },
    ]);
  });

  it("archives a product and restores it; no plan can be added to an archived product", async () => {
    const product = await createProduct(staff.owner, { name: "ピラティス" });
    expect(await updateProduct(staff.owner, { productId: product.id, active: false })).toMatchObject({ active: false });
    expect(await rejection(createPlan(staff.owner, { productId: product.id, amount: 1000, interval: "month" }))).toMatchObject({ code: "conflict", details: { reason: "product_archived" } });
    expect(await database.db.select().from(plans).where(eq(plans.productId, product.id))).toEqual([]);
    expect(await updateProduct(staff.owner, { productId: product.id, active: true })).toMatchObject({ active: true });
    expect((await auditsOf(product.id)).map((a) => a.action)).toEqual(["product.created", "product.archived", "product.restored"]);
  });

  it("archives a plan: contracts on it keep it, nobody new signs up through a link, and archiving again is a no-op", async () => {
    const ctx = m.ctx();
    const { plan, product, subscription } = await signedUpContract(m, { amount: 4400, interval: "month" });
    const link = await createCheckoutLink(ctx, { planId: plan.id });
    expect(await loadCheckoutPage(database.db, link.id, now)).not.toBeNull();
    expect(await archivePlan(staff.admin, { planId: plan.id })).toMatchObject({ id: plan.id, active: false, amount: 4400 });
    expect(await archivePlan(staff.owner, { planId: plan.id })).toMatchObject({ active: false });
    expect((await auditsOf(plan.id)).map((a) => a.action)).toEqual(["plan.created", "plan.archived"]);
    expect(await loadCheckoutPage(database.db, link.id, now)).toBeNull();
    const entry = (await listCatalogue(ctx)).find((c) => c.product.id === product.id)!;
    expect(entry.plans.map((p) => [p.id, p.active])).toEqual([[plan.id, false]]);
    const [still] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(still).toMatchObject({ planId: plan.id, status: subscription.status });
  });

  it("lets only owners and admins change the catalogue; operators and viewers are refused and nothing changes", async () => {
    const product = await createProduct(staff.owner, { name: "陶芸" });
    const plan = await createPlan(staff.owner, { productId: product.id, amount: 2000, interval: "month" });
    for (const role of ["operator", "viewer"] as const) {
      expect(await rejection(updateProduct(staff[role], { productId: product.id, name: "変更" }))).toMatchObject({ code: "forbidden" });
      expect(await rejection(updateProduct(staff[role], { productId: product.id, active: false }))).toMatchObject({ code: "forbidden" });
      expect(await rejection(archivePlan(staff[role], { planId: plan.id }))).toMatchObject({ code: "forbidden" });
      expect(await rejection(createProduct(staff[role], { name: "新商品" }))).toMatchObject({ code: "forbidden" });
    }
    expect(await productRow(product.id)).toMatchObject({ name: "陶芸", active: true });
    expect((await database.db.select().from(plans).where(eq(plans.id, plan.id)))[0]!.active).toBe(true);
  });

  it("refuses bad input and another merchant's ids, changing nothing", async () => {
    const product = await createProduct(staff.owner, { name: "書道" });
    expect(await rejection(updateProduct(staff.owner, { productId: product.id, name: "   " }))).toMatchObject({ code: "invalid", details: { param: "name" } });
    expect(await rejection(updateProduct(staff.owner, { productId: product.id, description: "x".repeat(2001) }))).toMatchObject({ code: "invalid", details: { param: "description" } });
    const foreign = await createProduct(other.ctx(), { name: "他店の商品" });
    const foreignPlan = await createPlan(other.ctx(), { productId: foreign.id, amount: 1000, interval: "month" });
    expect(await rejection(updateProduct(staff.owner, { productId: foreign.id, name: "乗っ取り" }))).toMatchObject({ code: "not_found" });
    expect(await rejection(archivePlan(staff.owner, { planId: foreignPlan.id }))).toMatchObject({ code: "not_found" });
    expect(await productRow(product.id)).toMatchObject({ name: "書道" });
    expect(await productRow(foreign.id)).toMatchObject({ name: "他店の商品" });
    expect((await listCatalogue(staff.owner)).some((c) => c.product.id === foreign.id)).toBe(false);
  });
});
