import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stateDiagram } from "./state-diagram";

describe("docs/architecture.md", () => {
  it("draws the contract's life cycle exactly as the transition table has it", () => {
    const doc = readFileSync(path.join(import.meta.dirname, "..", "..", "docs", "architecture.md"), "utf8");
    const block = /```mermaid\n(stateDiagram-v2[\s\S]*?)\n```/.exec(doc)?.[1];
    expect(block, "a mermaid stateDiagram-v2 block").toBeDefined();
    expect(block).toBe(stateDiagram());
  });
});
