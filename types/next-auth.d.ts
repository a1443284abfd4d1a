import type { StaffRole } from "@/lib/auth/roles";

declare module "next-auth" {
  interface User {
    merchantId: string;
    role: StaffRole;
  }
  interface Session {
    staffUserId: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    staffUserId: string;
    merchantId: string;
    role: StaffRole;
  }
}
