import { describe, expect, it } from "vitest";
import { DUNNING_TEMPLATES, MAIL_TEMPLATES } from "./mail-template";

describe("mail templates", () => {
  it("has every template key the engine decides on (issue 2 §4)", () => {
    expect([...MAIL_TEMPLATES].sort()).toEqual(
      ["welcome", "charge_succeeded", "charge_failed", "unpaid_notice", "final_notice", "withdrawal_notice", "trial_ending", "card_expiring", "canceled", "resumed"].sort(),
    );
  });

  it("dunning notices are the unpaid, final and withdrawal notices, all of them mail templates", () => {
    expect(DUNNING_TEMPLATES).toEqual(["unpaid_notice", "final_notice", "withdrawal_notice"]);
    for (const template of DUNNING_TEMPLATES) expect(MAIL_TEMPLATES).toContain(template);
  });

  it("has no duplicates", () => {
    expect(new Set(MAIL_TEMPLATES).size).toBe(MAIL_TEMPLATES.length);
  });
});
