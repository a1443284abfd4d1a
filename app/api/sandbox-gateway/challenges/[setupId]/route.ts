import { deployedSandbox } from "@/lib/gateways/sandbox-platform";

/** The sandbox issuer's answer to a 3-D Secure challenge (what the customer chose on the challenge page). */
export async function POST(request: Request, { params }: { params: Promise<{ setupId: string }> }): Promise<Response> {
  const sandbox = await deployedSandbox();
  if (!sandbox) return Response.json({ error: { code: "sandbox_only" } }, { status: 404 });
  const { setupId } = await params;
  const body = (await request.json().catch(() => null)) as { outcome?: unknown } | null;
  const outcome = body?.outcome === "succeeded" ? "succeeded" : body?.outcome === "failed" ? "failed" : null;
  if (!outcome) return Response.json({ error: { code: "invalid", param: "outcome" } }, { status: 400 });
  const answered = await sandbox.authentication.complete(setupId, outcome);
  if (!answered) return Response.json({ error: { code: "not_found", message: "No challenge is pending for this setup" } }, { status: 404 });
  return Response.json({ outcome });
}
