import { getDatabase } from "@/lib/runtime";

export const dynamic = "force-dynamic";

/** Liveness and readiness in one: 200 once the database answers, 503 while it does not. */
export async function GET(): Promise<Response> {
  try {
    const database = await getDatabase();
    await database.query("select 1");
    return Response.json({ ok: true, database: database.kind });
  } catch (error) {
    console.error("health check: database unavailable", error);
    return Response.json({ ok: false, error: "database unavailable" }, { status: 503 });
  }
}
