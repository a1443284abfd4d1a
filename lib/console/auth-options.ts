import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authSecret } from "@/lib/auth/auth-secret";
import { applyNextAuthDefaults } from "@/lib/env";
import { configuredPlatform } from "@/lib/platform";
import { getDatabase } from "@/lib/runtime";
import { signInStaff } from "@/lib/services/sign-in-staff";
import { clientAddress } from "./client-address";

/** How long a staff session lasts without signing in again. The staff row is read on every request regardless. */
const SESSION_SECONDS = 12 * 60 * 60;

/**
 * next-auth for the console: one credentials provider over the staff logins (argon2id, throttled in the service), JWT
 * sessions (credentials require them) carrying the staff id, merchant and role. Pages and server actions never trust
 * the token's role alone: lib/console/staff-context.ts reads the staff member again.
 */
export function authOptions(): NextAuthOptions {
  applyNextAuthDefaults();
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_SECONDS },
    pages: { signIn: "/console/sign-in", error: "/console/sign-in" },
    providers: [
      CredentialsProvider({
        id: "staff",
        name: "Keizoku staff",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, request) {
          const database = await getDatabase();
          const result = await signInStaff(configuredPlatform(database), {
            email: credentials?.email ?? "",
            password: credentials?.password ?? "",
            address: clientAddress(request.headers ?? {}),
          });
          if (!result.ok) return null;
          const { staff } = result;
          return { id: staff.staffUserId, name: staff.name, email: staff.email, merchantId: staff.merchantId, role: staff.role };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.staffUserId = user.id;
          token.merchantId = user.merchantId;
          token.role = user.role;
        }
        return token;
      },
      session({ session, token }) {
        session.staffUserId = token.staffUserId;
        return session;
      },
    },
  };
}
