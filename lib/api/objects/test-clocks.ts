import { z } from "zod";
import type { testClocks } from "@/db/schema";
import { iso, timestamp } from "../list";

export const testClockObject = z
  .object({
    id: z.string(),
    object: z.literal("test_clock"),
    name: z.string().nullable(),
    frozen_time: timestamp.describe("The clock's current time; while advancing, the last due time reached"),
    status: z.enum(["ready", "advancing"]).describe('"advancing" while the work up to the target runs; GET until "ready"'),
    last_advance_error: z.string().nullable().describe("Why the last advance stopped before its target (the clock is ready where it stopped); null when it completed"),
    created: timestamp,
  })
  .meta({ id: "TestClock" });

export function toTestClock(row: typeof testClocks.$inferSelect): z.infer<typeof testClockObject> {
  return { id: row.id, object: "test_clock", name: row.name, frozen_time: iso(row.frozenTime)!, status: row.status, last_advance_error: row.lastAdvanceError, created: iso(row.createdAt)! };
}
