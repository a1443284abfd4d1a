import { z } from "zod";
import { beginTestClockAdvance, completeTestClockAdvance } from "@/lib/services/advance-test-clock";
import { ServiceError } from "@/lib/services/errors";
import { createTestClock, createTestClockInput } from "@/lib/services/create-test-clock";
import { getTestClock, listTestClocks } from "@/lib/services/queries/test-clocks";
import { listOf, listQuery, toList } from "../list";
import { testClockObject, toTestClock } from "../objects/test-clocks";
import { route } from "../router";

/** An ISO 8601 time (a UTC offset allowed); the services' own field schemas turn it into a Date. */
const frozenTime = z.iso.datetime({ offset: true }).describe("ISO 8601 time, e.g. 2027-01-10T03:00:00Z or 2027-01-10T12:00:00+09:00");

export const testClockRoutes = [
  route({
    method: "POST",
    path: "/test_clocks",
    tag: "Test clocks",
    summary: "Create a test clock frozen at a time",
    body: z.strictObject({ frozen_time: frozenTime, name: createTestClockInput.shape.name }),
    response: testClockObject,
    handler: async ({ ctx, body }) => toTestClock(await createTestClock(ctx, { frozenTime: body.frozen_time, name: body.name })),
  }),
  route({
    method: "GET",
    path: "/test_clocks",
    tag: "Test clocks",
    summary: "List test clocks, newest first",
    query: listQuery,
    response: listOf(testClockObject),
    handler: async ({ ctx, query }) => toList(await listTestClocks(ctx, { limit: query.limit, startingAfter: query.starting_after }), toTestClock),
  }),
  route({
    method: "GET",
    path: "/test_clocks/{id}",
    tag: "Test clocks",
    summary: "Retrieve a test clock",
    response: testClockObject,
    handler: async ({ ctx, params }) => toTestClock(await getTestClock(ctx, params.id!)),
  }),
  route({
    method: "POST",
    path: "/test_clocks/{id}/advance",
    tag: "Test clocks",
    summary: 'Move a test clock forward; everything due runs in order. Answers at once with status "advancing"; GET until "ready"',
    body: z.strictObject({ frozen_time: frozenTime }),
    response: testClockObject,
    handler: async ({ ctx, params, body, runInBackground }) => {
      // Checked and marked "advancing" before the answer; another advance of this clock meanwhile is a 409.
      const clock = await beginTestClockAdvance(ctx, { testClockId: params.id!, frozenTime: body.frozen_time }).catch((error: unknown) => {
        throw error instanceof ServiceError && error.code === "not_found" ? new ServiceError("not_found", error.message, { param: "id" }) : error;
      });
      runInBackground(() => completeTestClockAdvance(ctx, clock.id));
      return toTestClock(clock);
    },
  }),
];
