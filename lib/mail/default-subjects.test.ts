import { describe, expect, it } from "vitest";
import { MAIL_TEMPLATES } from "@/lib/billing/mail-template";
import { DEFAULT_SUBJECTS, defaultSubject, substituteVariables } from "./default-subjects";

const variables = { merchant: "ヨガ教室", plan: "月謝プラン", amount: "¥3,100", trial_end: "2027-01-24" };

describe("default mail subjects", () => {
  it("has a Japanese and an English subject for every template, every variable filled in", () => {
    for (const template of MAIL_TEMPLATES) {
      for (const locale of ["ja", "en"] as const) {
        expect(DEFAULT_SUBJECTS[template][locale], `${template} ${locale}`).toMatch(/%%merchant%%/);
        const subject = defaultSubject(template, locale, variables);
        expect(subject, `${template} ${locale}`).not.toMatch(/%%/);
        expect(subject.length).toBeGreaterThan(10);
      }
      expect(defaultSubject(template, "ja", variables)).toMatch(/^【ヨガ教室】/);
      expect(defaultSubject(template, "en", variables)).toMatch(/^\[ヨガ教室\] [A-Z]/);
    }
  });

  it("substitutes variables, drops unknown ones and falls back to Japanese", () => {
    expect(defaultSubject("charge_succeeded", "ja", variables)).toBe("【ヨガ教室】お支払いありがとうございます（¥3,100）");
    expect(defaultSubject("trial_ending", "en", variables)).toBe("[ヨガ教室] Your 月謝プラン trial ends on 2027-01-24");
    expect(defaultSubject("welcome", "fr", variables)).toBe("【ヨガ教室】月謝プランへのお申し込みありがとうございます");
    expect(substituteVariables("%%name%%様 %%unknown%%/%%plan%%", { name: "山田", plan: "%%name%%" })).toBe("山田様 /%%name%%");
    expect(substituteVariables("%%toString%%%%constructor%%", {})).toBe("");
  });
});
