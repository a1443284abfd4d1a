import type { StaffRole } from "@/lib/auth/roles";
import type { Platform, ServiceContext } from "./context";

/**
 * One factory per realm: the only ways a ServiceContext is made. Each adapter (API route, server action, mypage,
 * runner, CLI) authenticates its caller, then asks its realm's factory; the services authorize what the actor does.
 */
export const apiKeyContext = (platform: Platform, key: { merchantId: string; apiKeyId: string }): ServiceContext => ({
  ...platform,
  merchantId: key.merchantId,
  actor: { type: "api_key", id: key.apiKeyId },
});

export const staffContext = (platform: Platform, staff: { merchantId: string; staffUserId: string; role: StaffRole }): ServiceContext => ({
  ...platform,
  merchantId: staff.merchantId,
  actor: { type: "staff", id: staff.staffUserId, role: staff.role },
});

export const endUserContext = (platform: Platform, user: { merchantId: string; customerId: string }): ServiceContext => ({
  ...platform,
  merchantId: user.merchantId,
  actor: { type: "customer", id: user.customerId },
});

/** The runner and other work no person asked for. */
export const systemContext = (platform: Platform, merchantId: string, id: string | null = null): ServiceContext => ({
  ...platform,
  merchantId,
  actor: { type: "system", id },
});

/** Someone with the server's own shell: the CLI (and tests, which stand for it). */
export const operatorContext = (platform: Platform, merchantId: string, id: string | null = null): ServiceContext => ({
  ...platform,
  merchantId,
  actor: { type: "operator", id },
});

/**
 * A hosted checkout page: no one is signed in, and the link the merchant made is the authority. It acts for its
 * merchant as the system does (the audit names the link), and its adapter calls one verb only: completeCheckout.
 */
export const checkoutLinkContext = (platform: Platform, link: { merchantId: string; linkId: string }): ServiceContext => ({
  ...platform,
  merchantId: link.merchantId,
  actor: { type: "system", id: link.linkId },
});
