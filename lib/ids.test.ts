import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("makes prefixed ids that sort in the order they were made, even within one millisecond", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("in"));
    expect(ids.every((id) => /^in_[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
