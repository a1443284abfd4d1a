import { getToken } from "next-auth/jwt";
import { type NextRequest, NextResponse } from "next/server";
import { authSecret } from "@/lib/auth/auth-secret";
import { safeCallbackPath } from "@/lib/console/callback-url";
import { applyNextAuthDefaults } from "@/lib/env";

/**
 * Next 16's request proxy (formerly middleware): signed-out visitors of the console go to the sign-in page, which
 * brings them back where they were. This is the first gate only: every console page and server action checks the
 * staff member, the role and the merchant again (lib/console/staff-context.ts), because a server action is a public
 * POST endpoint and a proxy matcher is easy to get wrong.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/console/sign-in")) return NextResponse.next();
  applyNextAuthDefaults(); // getToken picks the cookie's name (__Secure- on https) from NEXTAUTH_URL
  const token = await getToken({ req: request, secret: authSecret() });
  if (token?.staffUserId) return NextResponse.next();
  const signIn = new URL("/console/sign-in", request.url);
  signIn.searchParams.set("callbackUrl", safeCallbackPath(`${pathname}${search}`));
  return NextResponse.redirect(signIn);
}

export const config = { matcher: ["/console", "/console/:path*"] };
