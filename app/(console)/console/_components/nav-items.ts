import { Home, ListChecks, Users, FileStack } from "lucide-react";

/** The console's rooms, in the side navigation's order. A room is listed only once its page exists. */
export const NAV_ITEMS = [
  { href: "/console", key: "home", icon: Home, exact: true },
  { href: "/console/subscriptions", key: "subscriptions", icon: FileStack, exact: false },
  { href: "/console/customers", key: "customers", icon: Users, exact: false },
  { href: "/console/jobs", key: "jobs", icon: ListChecks, exact: false },
] as const;
