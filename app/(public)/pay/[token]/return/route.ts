import { NextResponse } from "next/server";
import { paymentAuthenticationPath } from "@/lib/mail/links";
import { openSignedLink } from "@/lib/mypage/signed-link-context";
import { completePaymentAuthentication } from "@/lib/services/complete-payment-authentication";
import { ServiceError } from "@/lib/services/errors";

/**
 * Where the issuer's page (Stripe's 3-D Secure redirect) sends the customer back: the gateway is asked what became of
 * the charge and a success is recorded; then the payment page, which shows the invoice paid, or why not
 * (?authentication=failed|pending). Opened again (a reload, the back button), it records nothing more.
 */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await params;
  const opened = await openSignedLink("payment_authentication", token);
  const page = new URL(paymentAuthenticationPath(token), opened.ok ? opened.ctx.links.baseUrl : request.url);
  if (opened.ok) {
    try {
      await completePaymentAuthentication(opened.ctx, { invoiceId: opened.subjectId });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      if (error.code === "payment_declined") page.searchParams.set("authentication", "failed");
      else if (error.code === "unavailable") page.searchParams.set("authentication", "pending");
    }
  }
  return NextResponse.redirect(page, 303);
}
