import { z } from "zod";
import { SandboxCardError } from "@/lib/gateways/sandbox";
import { deployedSandbox } from "@/lib/gateways/sandbox-platform";

// Japanese keyboards type full-width digits; the gateway's form takes what people type.
const typed = z.string().max(40).transform((s) => s.normalize("NFKC").trim());
const body = z.object({ number: typed, expMonth: typed, expYear: typed.transform((y) => (/^\d{2}$/.test(y) ? `20${y}` : y)), cvc: typed });

/**
 * The sandbox gateway's tokenize endpoint, which its hosted card form posts to: the card number reaches only this
 * route (the gateway's side), and the form hands the merchant's page nothing but the token.
 */
export async function POST(request: Request): Promise<Response> {
  const sandbox = await deployedSandbox();
  if (!sandbox) return Response.json({ error: { code: "sandbox_only", message: "The sandbox gateway is not in use" } }, { status: 404 });
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: { code: "invalid", param: "number", message: "Card details are missing" } }, { status: 400 });
  try {
    const token = await sandbox.testControls.createToken(parsed.data, new Date());
    const last4 = parsed.data.number.replace(/\D/g, "").slice(-4);
    return Response.json({ token: token.id, card: { last4 } }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof SandboxCardError) return Response.json({ error: { code: "invalid", param: error.param, message: error.message } }, { status: 400 });
    throw error;
  }
}
