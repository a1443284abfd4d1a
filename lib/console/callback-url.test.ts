import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

describe("safeCallbackPath", () => {
  it("keeps a console path with its query", () => {
    expect(safeCallbackPath("/console/subscriptions?status=past_due&page=2")).toBe("/console/subscriptions?status=past_due&page=2");
    expect(safeCallbackPath("http://localhost:3000/console/customers", "http://localhost:3000")).toBe("/console/customers");
  });

  it.each([
    ["another site", "https://evil.example/console"],
    ["protocol-relative", "//evil.example/console"],
    ["backslash trick", "/\\evil.example/console"],
    ["javascript", "javascript:alert(1)"],
    ["outside the console", "/api/v1/subscriptions"],
    ["a look-alike prefix", "/console-evil"],
    ["the sign-in page", "/console/sign-in?callbackUrl=/console"],
    ["dot segments out of the console", "/console/../api/v1"],
    ["empty", ""],
  ])("falls back to the console for %s", (_name, value) => {
    expect(safeCallbackPath(value, "http://localhost:3000")).toBe("/console");
  });
});
