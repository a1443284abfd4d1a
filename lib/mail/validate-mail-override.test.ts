import { describe, expect, it } from "vitest";
import { problemsOf } from "./validate-mail-override";

describe("a merchant's wording of a mail", () => {
  it("passes variables the mail carries, and leaves an unset subject to the default", () => {
    expect(problemsOf("charge_failed", { body: "%%name%%様\n%%card_update_url%% から更新してください。\n%%footer%%" })).toEqual([]);
    expect(problemsOf("charge_succeeded", { subject: "【%%merchant%%】領収 %%amount%%", body: "%%receipt_url%%" })).toEqual([]);
  });

  it("names an unknown variable, one the mail does not carry, and an unclosed %%", () => {
    expect(problemsOf("welcome", { subject: "%%nmae%%様", body: "領収書: %%receipt_url%% 割引 100%%" })).toEqual([
      { field: "subject", code: "unknown_variable", variable: "nmae" },
      { field: "body", code: "variable_not_in_mail", variable: "receipt_url" },
      { field: "body", code: "unclosed_variable" },
    ]);
  });

  it("refuses a blank or over-long subject", () => {
    expect(problemsOf("welcome", { subject: "  " })).toEqual([{ field: "subject", code: "empty_subject" }]);
    expect(problemsOf("welcome", { subject: "あ".repeat(201) })).toEqual([{ field: "subject", code: "subject_too_long" }]);
  });
});
