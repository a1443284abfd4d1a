import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { inngestFunctions } from "@/inngest/functions";
import { actionDriver } from "@/lib/runner/start-configured-runner";

export const dynamic = "force-dynamic";

/** The Inngest serve handler. Functions open the database on their first step, never at import or build time. */
const handler = serve({ client: inngest, functions: inngestFunctions() });

/** Served only when Inngest drives due actions: a dev server pointed at an embedded-runner process finds nothing. */
function onlyWhenInngestDrives(method: (req: NextRequest, res: unknown) => Promise<Response>) {
  return (req: NextRequest, res: unknown): Promise<Response> =>
    actionDriver() === "inngest" ? method(req, res) : Promise.resolve(Response.json({ error: "Inngest is not configured (INNGEST_DEV or INNGEST_EVENT_KEY)" }, { status: 404 }));
}

export const GET = onlyWhenInngestDrives(handler.GET);
export const POST = onlyWhenInngestDrives(handler.POST);
export const PUT = onlyWhenInngestDrives(handler.PUT);
