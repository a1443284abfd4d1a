import { and, asc, eq, isNull, lte, min } from "drizzle-orm";
import { scheduledActions } from "@/db/schema";
import { localDateOf, startOfLocalDay } from "@/lib/billing/calendar";
import type { SandboxTestControls } from "@/lib/gateways/sandbox";
import { addPaymentMethod } from "@/lib/services/add-payment-method";
import { cancelSubscription } from "@/lib/services/cancel-subscription";
import { type Clock, fixedClock, type Platform, type ServiceContext } from "@/lib/services/context";
import { systemContext } from "@/lib/services/contexts";
import { createCustomer } from "@/lib/services/create-customer";
import { merchantTimeZone } from "@/lib/services/merchant-settings";
import { pauseSubscription } from "@/lib/services/pause-subscription";
import { runDueActions } from "@/lib/services/run-due-actions";
import { setTestCardBehavior } from "@/lib/services/set-test-card-behavior";
import { createDemoCatalogue, type DemoPlanKey } from "./demo-catalogue";
import { demoPerson } from "./demo-people";
import { type DemoCard, type DemoStory, planDemoStories, type StoryStep } from "./demo-stories";
import { seedDemoTestClock } from "./demo-test-clock";
import { signUp } from "./sign-up";
import type { DemoSeedContext } from "./seed";

const DAY = 86_400_000;
/** Due actions read per query; those of one due time go to runDueActions together, as one runner claim would. */
const DUE_BATCH = 1000;
/** People acting at once within a day (each on their own contract); the pool has few connections anyway. */
const PEOPLE_AT_ONCE = 8;

/**
 * The demo merchant's contracts: `contractsPerStatus` in every status, reached by living their history. The stories
 * (demo-stories.ts) say what people do and when; this plays them in time order, each step through the services at
 * its own past time, and between them lets the scheduled actions that fell due run through runDueActions — the
 * runner's batch path — at their due times, so renewals, declines, retries, dunning and withdrawals happen as they
 * would have. Then a few customers on a test clock.
 */
export async function seedDemoContracts(seed: DemoSeedContext): Promise<void> {
  const { platform, merchantId } = seed;
  const controls = platform.gateways.primary.testControls as SandboxTestControls | undefined;
  if (!controls) throw new Error("The demo merchant's history needs a test gateway (the sandbox)");
  const now = platform.clock.now();
  const timeZone = await merchantTimeZone(platform.db, merchantId);
  const stories = planDemoStories(seed.contractsPerStatus, now, timeZone);
  const firstStep = Math.min(now.getTime(), ...stories.map((s) => s.steps[0]!.at.getTime()));
  const ctxAt = (at: Date) => systemContext({ ...platform, clock: fixedClock(at) }, merchantId, "seed");
  const planIds = await createDemoCatalogue(ctxAt(new Date(firstStep - DAY)));
  await new DemoHistory(platform, merchantId, timeZone, planIds, controls).live(stories, now);
  await seedDemoTestClock(systemContext(platform, merchantId, "seed"), planIds, controls);
}

type Person = { index: number; card: DemoCard; customerId?: string; paymentMethodId?: string };
type Event = { at: Date; person: Person; story: { subscriptionId?: string }; step: StoryStep };

class DemoHistory {
  /** The simulated runner's clock: never goes back, even for an action planned in the past. */
  private runnerTime = new Date(0);

  constructor(
    private readonly platform: Platform,
    private readonly merchantId: string,
    private readonly timeZone: string,
    private readonly planIds: Record<DemoPlanKey, string>,
    private readonly controls: SandboxTestControls,
  ) {}

  async live(stories: readonly DemoStory[], now: Date): Promise<void> {
    const people = new Map<number, Person>();
    const events: Event[] = [];
    for (const story of stories) {
      let person = people.get(story.person);
      if (!person) people.set(story.person, (person = { index: story.person, card: story.card }));
      const state = {};
      for (const step of story.steps) events.push({ at: step.at, person, story: state, step });
    }
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    // A day at a time: what fell due before the day's first step runs first; then the day's steps up to the next due
    // action, people side by side (no two share a contract, and each acts at their own time). The day ends the wave
    // because what people do plans nothing earlier than the next midnight (renewals, trial ends, un-pauses).
    let next = 0;
    while (next < events.length) {
      const first = events[next]!.at;
      await this.runDue(first);
      const nextDue = await this.nextDueAt();
      const midnight = startOfLocalDay(localDateOf(first, this.timeZone).add({ days: 1 }), this.timeZone);
      const until = nextDue && nextDue < midnight ? nextDue : midnight;
      let end = next + 1;
      while (end < events.length && events[end]!.at < until) end++;
      await this.perform(events.slice(next, end));
      next = end;
    }
    await this.runDue(now);
  }

  private async perform(events: readonly Event[]): Promise<void> {
    const byPerson = new Map<Person, Event[]>();
    for (const event of events) byPerson.set(event.person, [...(byPerson.get(event.person) ?? []), event]);
    const chains = [...byPerson.values()];
    let taken = 0;
    const worker = async () => {
      while (taken < chains.length) for (const event of chains[taken++]!) await this.step(event);
    };
    await Promise.all(Array.from({ length: Math.min(PEOPLE_AT_ONCE, chains.length) }, worker));
  }

  private async step({ at, person, story, step }: Event): Promise<void> {
    const ctx = systemContext({ ...this.platform, clock: fixedClock(at) }, this.merchantId, "seed");
    switch (step.kind) {
      case "sign_up": {
        const { customerId, paymentMethodId } = await this.customerOf(ctx, person);
        story.subscriptionId = await signUp(ctx, customerId, this.planIds[step.plan], paymentMethodId);
        return;
      }
      case "card_behavior":
        await setTestCardBehavior(ctx, { paymentMethodId: person.paymentMethodId!, behavior: step.behavior });
        return;
      case "cancel":
        await cancelSubscription(ctx, { subscriptionId: story.subscriptionId!, atPeriodEnd: step.atPeriodEnd, reason: step.reason });
        return;
      case "pause":
        await pauseSubscription(ctx, { subscriptionId: story.subscriptionId!, resumeAt: step.resumeAt });
        return;
    }
  }

  /** The person's customer and card, made on their first sign-up: the card goes through the sandbox's card form. */
  private async customerOf(ctx: ServiceContext, person: Person): Promise<{ customerId: string; paymentMethodId: string }> {
    if (!person.customerId) {
      const { name, email, phone, address, locale } = demoPerson(person.index);
      const customer = await createCustomer(ctx, { name, email, phone, address, locale });
      const { number, expMonth, expYear } = person.card;
      const token = await this.controls.createToken({ number, expMonth, expYear, cvc: number.length === 15 ? "1234" : "123" }, ctx.clock.now());
      const card = await addPaymentMethod(ctx, { customerId: customer.id, token: token.id });
      person.customerId = customer.id;
      person.paymentMethodId = card.id;
    }
    return { customerId: person.customerId, paymentMethodId: person.paymentMethodId! };
  }

  /** Runs the merchant's actions due by `until` (real time only, not test clocks), one due time per batch. */
  private async runDue(until: Date): Promise<void> {
    for (;;) {
      const due = await this.platform.db
        .select({ id: scheduledActions.id, dueAt: scheduledActions.dueAt })
        .from(scheduledActions)
        .where(and(this.pendingInScope(), lte(scheduledActions.dueAt, until)))
        .orderBy(asc(scheduledActions.dueAt), asc(scheduledActions.id))
        .limit(DUE_BATCH);
      if (due.length === 0) return;
      const dueAt = due[0]!.dueAt;
      if (dueAt > this.runnerTime) this.runnerTime = dueAt;
      const batch = due.filter((d) => d.dueAt.getTime() === dueAt.getTime()).map((d) => d.id);
      const runCtx = { ...this.platform, clock: fixedClock(this.runnerTime) satisfies Clock };
      for (const outcome of await runDueActions(runCtx, batch, { chargeConcurrency: 16 })) {
        if ("error" in outcome) throw new Error(`demo: action ${outcome.actionId} failed at ${this.runnerTime.toISOString()}: ${outcome.error.message}`, { cause: outcome.error });
      }
    }
  }

  private async nextDueAt(): Promise<Date | null> {
    const [row] = await this.platform.db.select({ at: min(scheduledActions.dueAt) }).from(scheduledActions).where(this.pendingInScope());
    return row?.at ?? null;
  }

  private pendingInScope() {
    return and(eq(scheduledActions.merchantId, this.merchantId), isNull(scheduledActions.testClockId), eq(scheduledActions.status, "pending"));
  }
}
