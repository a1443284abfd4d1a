import { describe, expect, it } from "vitest";
import { MESSAGES } from "./index";

function keysOf(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)/g)].map((m) => m[1]!).sort();
}

describe("messages", () => {
  it("English has exactly the keys of Japanese, each non-empty and with the same placeholders", () => {
    const ja = keysOf(MESSAGES.ja).sort();
    expect(keysOf(MESSAGES.en).sort()).toEqual(ja);
    const read = (root: unknown, key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root) as string;
    for (const key of ja) {
      const jaText = read(MESSAGES.ja, key);
      const enText = read(MESSAGES.en, key);
      expect(enText, key).toMatch(/\S/);
      expect(placeholdersOf(enText), key).toEqual(placeholdersOf(jaText));
    }
  });
});
