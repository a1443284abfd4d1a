import { Banknote, Clock, CreditCard, Receipt, FileStack, History, Home, Inbox, KeyRound, Link2, Webhook, ListChecks, Mail, Package, Settings2, UserCog, Users } from "lucide-react";

/** The console's rooms, in the side navigation's order. A room is listed only once its page exists. */
export const NAV_ITEMS = [
  { href: "/console", key: "home", icon: Home, exact: true },
  { href: "/console/subscriptions", key: "subscriptions", icon: FileStack, exact: false },
  { href: "/console/customers", key: "customers", icon: Users, exact: false },
  { href: "/console/catalogue", key: "catalogue", icon: Package, exact: false },
  { href: "/console/checkout-links", key: "checkoutLinks", icon: Link2, exact: false },
  { href: "/console/atobarai", key: "atobarai", icon: Receipt, exact: false },
  { href: "/console/atobarai/payments", key: "atobaraiPayments", icon: Banknote, exact: false },
  { href: "/console/atobarai/statements", key: "atobaraiStatements", icon: Receipt, exact: false },
  { href: "/console/jobs", key: "jobs", icon: ListChecks, exact: false },
  { href: "/console/mails", key: "mails", icon: Mail, exact: false },
  { href: "/console/settings/mail", key: "mailSettings", icon: Settings2, exact: false },
  { href: "/console/settings/billing", key: "billingSettings", icon: CreditCard, exact: false },
  { href: "/console/settings/team", key: "team", icon: UserCog, exact: false },
  { href: "/console/settings/api-keys", key: "apiKeys", icon: KeyRound, exact: false },
  { href: "/console/settings/webhooks", key: "webhooks", icon: Webhook, exact: false },
  { href: "/console/settings/stripe-events", key: "stripeEvents", icon: Inbox, exact: false },
  { href: "/console/test-clocks", key: "testClocks", icon: Clock, exact: false },
  { href: "/console/audit", key: "audit", icon: History, exact: false },
] as const;
