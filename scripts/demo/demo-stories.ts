import { Temporal } from "temporal-polyfill";
import { daysBetween, type LocalDate, localDateOf } from "@/lib/billing/calendar";
import { addCycles } from "@/lib/billing/cycle";
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "@/lib/billing/subscription-state";
import { type SandboxBehavior, SANDBOX_TEST_CARDS } from "@/lib/gateways/sandbox";
import { CHARGED_AT_SIGNUP, type DemoPlanKey, SIGNUP_ANCHORED_MONTHLY, trialDaysOf } from "./demo-catalogue";
import { between, pick, type Random, randomOf } from "./demo-people";

/**
 * What each demo contract goes through, planned ahead as dated steps (pure: no database). The steps are only what a
 * customer, a card issuer or the merchant does — sign up, a card that starts to decline or recovers, a cancellation,
 * a pause; renewals, retries, dunning and withdrawal are left to the scheduled actions, which the seed runs through
 * the runner's batch path as time passes (demo-contracts.ts). Each story is chosen so that its contract ends in the
 * status it is planned for, using the billing rules' own calendar (renewals on the sign-up day, retries 7 and 14 days
 * after a failure, withdrawal 67 days after the paid-through date).
 */

export type DemoCard = { number: string; expMonth: number; expYear: number };

export type StoryStep =
  | { kind: "sign_up"; plan: DemoPlanKey }
  | { kind: "card_behavior"; behavior: SandboxBehavior }
  | { kind: "cancel"; atPeriodEnd: boolean; reason: string }
  | { kind: "pause"; resumeAt: Date | null };

export type DemoStory = {
  /** The status the contract is planned to be in at the end. */
  status: SubscriptionStatus;
  /** Which demo person (demoPerson) signs up; a few people have two contracts. */
  person: number;
  /** The card the person saves when they first sign up (ignored for their second contract). */
  card: DemoCard;
  steps: (StoryStep & { at: Date })[];
};

const CANCEL_REASONS = ["引っ越しのため", "利用頻度が減ったため", "他のサービスに乗り換え", "料金の見直し", "体調のため一時中止", "会員からの解約"] as const;

/**
 * `perStatus` stories for each status, planned against `now` in the merchant's time zone. Every step lies strictly
 * before `now`, except bookings made "today" which happen at `now` itself.
 */
export function planDemoStories(perStatus: number, now: Date, timeZone: string): DemoStory[] {
  const planner = new Planner(now, timeZone);
  const stories: DemoStory[] = [];
  for (const [statusIndex, status] of SUBSCRIPTION_STATUSES.entries()) {
    for (let i = 0; i < perStatus; i++) stories.push(planner.story(status, i, statusIndex * perStatus + i, perStatus));
  }
  return stories;
}

/** Brands in roughly the mix Japanese merchants see; all succeed at the sandbox until told otherwise. */
const GOOD_CARDS = [
  { number: "4242424242424242", weight: 60 },
  { number: "5555555555554444", weight: 20 },
  { number: "3530111333300000", weight: 15 },
  { number: "378282246310005", weight: 5 },
] as const;

class Planner {
  private readonly today: LocalDate;
  constructor(
    private readonly now: Date,
    private readonly timeZone: string,
  ) {
    this.today = localDateOf(now, timeZone);
  }

  story(status: SubscriptionStatus, i: number, person: number, perStatus: number): DemoStory {
    const random = randomOf(0xdead + person * 104729);
    const story: DemoStory = { status, person, card: this.goodCard(random), steps: [] };
    const build = this.builders[status];
    build(story, random, i, perStatus);
    story.steps.sort((a, b) => a.at.getTime() - b.at.getTime());
    return story;
  }

  private readonly builders: Record<SubscriptionStatus, (story: DemoStory, random: Random, i: number, perStatus: number) => void> = {
    trialing: (story, random) => {
      const plan = random() < 0.6 ? pick(random, ["schoolStandard", "schoolLight"] as const) : "saasPro";
      this.signUp(story, random, plan, this.daysAgo(between(random, 1, trialDaysOf(plan) - 1)));
    },
    active: (story, random, i, perStatus) => {
      if (i % 10 === 1) return this.recovered(story, random);
      if (i % 20 === 2) return this.annualWithExpiredCard(story, random);
      // Every tenth active contract belongs to someone who canceled another one (a customer with two contracts).
      if (i % 10 === 4) story.person = SUBSCRIPTION_STATUSES.indexOf("canceled") * perStatus + i;
      const plan = pick(random, ["schoolStandard", "schoolStandard", "schoolLight", "yogaUnlimited", "yogaUnlimited", "yogaFour", "bentoWeekdays", "saasBasic", "saasBasic", "saasAnnual", "saasPro"] as const);
      const longest = plan === "bentoWeekdays" ? 100 : 210;
      this.signUp(story, random, plan, this.daysAgo(between(random, trialDaysOf(plan) + 1, longest)));
      if (i % 20 === 12) story.card = this.cardExpiringSoon(random);
      // Booked today, after every renewal so far: the contract stays active until its paid-through date.
      if (i % 10 === 0) story.steps.push({ kind: "cancel", atPeriodEnd: true, reason: pick(random, CANCEL_REASONS), at: this.now });
    },
    past_due: (story, random) => {
      // The first failure within the last 13 days: the retries at +7 and +14 days are not used up yet.
      const { plan, signup, failOn } = this.failingRenewal(random, 1, 13, { allowTrialEnd: true });
      this.signUp(story, random, plan, signup);
      this.cardFails(story, random, failOn, pick(random, ["decline", "insufficient_funds"] as const));
    },
    unpaid: (story, random, i) => {
      if (i % 10 < 3) {
        // A hard decline (lost card, or a card that simply expired): no retries, unpaid at once.
        const { plan, signup, failOn } = this.failingRenewal(random, 1, 62, { allowTrialEnd: false });
        this.signUp(story, random, plan, signup);
        if (i % 10 === 0) this.cardFails(story, random, failOn, "lost_card");
        else story.card = this.cardExpiringBefore(random, failOn);
        return;
      }
      // Retries used up (14 days after the failure) but not yet withdrawn (67 days after the paid-through date).
      const { plan, signup, failOn } = this.failingRenewal(random, 15, 62, { allowTrialEnd: true });
      this.signUp(story, random, plan, signup);
      this.cardFails(story, random, failOn, pick(random, ["decline", "insufficient_funds"] as const));
    },
    withdrawn: (story, random, i) => {
      const { plan, signup, failOn } = this.failingRenewal(random, 68, 197, { allowTrialEnd: i % 5 !== 0 });
      this.signUp(story, random, plan, signup);
      if (i % 5 === 0) story.card = this.cardExpiringBefore(random, failOn);
      else this.cardFails(story, random, failOn, pick(random, ["decline", "insufficient_funds"] as const));
    },
    canceled: (story, random, i) => {
      const reason = pick(random, CANCEL_REASONS);
      if (i % 10 < 5) {
        const joined = between(random, 3, 200);
        this.signUp(story, random, pick(random, ["schoolStandard", "yogaUnlimited", "yogaFour", "bentoWeekdays", "saasBasic", "saasPro", "saasAnnual"] as const), this.daysAgo(joined));
        story.steps.push({ kind: "cancel", atPeriodEnd: false, reason, at: this.daytime(this.daysAgo(between(random, 1, joined - 1)), random) });
      } else if (i % 10 < 8) {
        // At the end of the period: booked at least 40 days ago, so the period (a month at most) has ended since.
        const booked = between(random, 40, 180);
        const plan = pick(random, ["schoolStandard", "schoolLight", "yogaUnlimited", "bentoWeekdays", "saasBasic", "saasPro"] as const);
        this.signUp(story, random, plan, this.daysAgo(between(random, booked + 1, Math.min(booked + 90, 210))));
        story.steps.push({ kind: "cancel", atPeriodEnd: true, reason, at: this.daytime(this.daysAgo(booked), random) });
      } else {
        // An unpaid contract the merchant gave up on.
        const { plan, signup, failOn } = this.failingRenewal(random, 25, 62, { allowTrialEnd: true });
        this.signUp(story, random, plan, signup);
        this.cardFails(story, random, failOn, "decline");
        const unpaidDays = daysBetween(failOn.add({ days: 14 }), this.today);
        story.steps.push({ kind: "cancel", atPeriodEnd: false, reason: "未払いが続いたため", at: this.daytime(this.daysAgo(between(random, 1, unpaidDays - 1)), random) });
      }
    },
    paused: (story, random, i) => {
      const joined = between(random, 2, 200);
      this.signUp(story, random, pick(random, ["schoolStandard", "schoolLight", "yogaUnlimited", "yogaFour", "saasBasic", "saasPro"] as const), this.daysAgo(joined));
      const resumeAt = i % 10 < 3 ? this.midnight(this.today.add({ days: between(random, 7, 60) })) : null;
      story.steps.push({ kind: "pause", resumeAt, at: this.daytime(this.daysAgo(between(random, 1, joined - 1)), random) });
    },
    incomplete: (story, random) => {
      story.card = { ...story.card, number: random() < 0.6 ? SANDBOX_TEST_CARDS.decline : SANDBOX_TEST_CARDS.insufficientFunds };
      this.signUp(story, random, pick(random, CHARGED_AT_SIGNUP), this.daysAgo(between(random, 1, 200)));
    },
  };

  /** An active contract whose card declined once and was fixed before the first retry, which then paid. */
  private recovered(story: DemoStory, random: Random): void {
    const { plan, signup, failOn } = this.failingRenewal(random, 20, 150, { allowTrialEnd: true });
    this.signUp(story, random, plan, signup);
    this.cardFails(story, random, failOn, "insufficient_funds");
    story.steps.push({ kind: "card_behavior", behavior: "succeed", at: this.daytime(failOn.add({ days: 3 }), random) });
  }

  /** A yearly contract paid months ago on a card that has expired since: it stays active until its renewal. */
  private annualWithExpiredCard(story: DemoStory, random: Random): void {
    this.signUp(story, random, "saasAnnual", this.daysAgo(between(random, 70, 210)));
    const lastMonth = this.today.toPlainYearMonth().subtract({ months: 1 });
    story.card = { ...story.card, expMonth: lastMonth.month, expYear: lastMonth.year };
  }

  /**
   * A renewal of a plan that follows the sign-up day, falling `minDaysAgo`–`maxDaysAgo` days ago (the last few days
   * of the window are kept free for the calendar's sake: days 29–31 and the 1st are moved to the 28th), and the
   * sign-up that puts it there: 0 to 4 paid months before it, or the end of the trial itself.
   */
  private failingRenewal(random: Random, minDaysAgo: number, maxDaysAgo: number, options: { allowTrialEnd: boolean }) {
    const plan = pick(random, SIGNUP_ANCHORED_MONTHLY);
    let failOn = this.daysAgo(between(random, minDaysAgo, maxDaysAgo - 4));
    // The 29th–31st do not exist every month, and a charge at 00:00 on the 1st in Tokyo is still the previous month
    // in UTC, where card expiry is counted: both would blur the plan.
    if (failOn.day === 1) failOn = failOn.subtract({ days: 1 });
    if (failOn.day > 28) failOn = failOn.with({ day: 28 });
    const trial = trialDaysOf(plan);
    const fewest = trial > 0 && options.allowTrialEnd ? 0 : 1;
    const start = addCycles(failOn, "month", failOn.day, -between(random, fewest, 4));
    return { plan, failOn, signup: start.subtract({ days: trial }) };
  }

  /** The card starts to fail two days before the renewal on `failOn`. */
  private cardFails(story: DemoStory, random: Random, failOn: LocalDate, behavior: SandboxBehavior): void {
    story.steps.push({ kind: "card_behavior", behavior, at: this.daytime(failOn.subtract({ days: 2 }), random) });
  }

  private signUp(story: DemoStory, random: Random, plan: DemoPlanKey, on: LocalDate): void {
    story.steps.push({ kind: "sign_up", plan, at: this.daytime(on, random) });
  }

  private goodCard(random: Random): DemoCard {
    let roll = random() * 100;
    const card = GOOD_CARDS.find((c) => (roll -= c.weight) < 0) ?? GOOD_CARDS[0];
    return { number: card.number, expMonth: between(random, 1, 12), expYear: this.today.year + between(random, 1, 5) };
  }

  /** A card whose last valid month is the one before `failOn`'s: the renewal that day finds it expired. */
  private cardExpiringBefore(random: Random, failOn: LocalDate): DemoCard {
    const month = failOn.toPlainYearMonth().subtract({ months: 1 });
    return { ...this.goodCard(random), expMonth: month.month, expYear: month.year };
  }

  private cardExpiringSoon(random: Random): DemoCard {
    const month = this.today.toPlainYearMonth().add({ months: between(random, 0, 1) });
    return { ...this.goodCard(random), expMonth: month.month, expYear: month.year };
  }

  private daysAgo(days: number): LocalDate {
    return this.today.subtract({ days });
  }

  private midnight(date: LocalDate): Date {
    return new Date(date.toZonedDateTime({ timeZone: this.timeZone }).epochMilliseconds);
  }

  /** A time in opening hours (09:00–19:59) of that day. */
  private daytime(date: LocalDate, random: Random): Date {
    const time = Temporal.PlainTime.from({ hour: between(random, 9, 19), minute: between(random, 0, 59) });
    return new Date(date.toZonedDateTime({ timeZone: this.timeZone, plainTime: time }).epochMilliseconds);
  }
}
