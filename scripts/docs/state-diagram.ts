import { STATUS_LABELS_JA, transitions } from "@/lib/billing/subscription-state";

/**
 * The contract's life cycle as a Mermaid state diagram, drawn from the transition table itself, so the picture in
 * docs/architecture.md cannot drift from the code (scripts/docs/state-diagram.test.ts compares them).
 * `npx tsx scripts/docs/state-diagram.ts` prints it.
 */
export function stateDiagram(): string {
  const lines = ["stateDiagram-v2"];
  for (const [status, label] of Object.entries(STATUS_LABELS_JA)) lines.push(`  ${status}: ${status} ${label}`);
  lines.push("  [*] --> trialing: sign-up with a trial", "  [*] --> active: sign-up with a free first period", "  [*] --> incomplete: sign-up charging at once (active when paid)");
  const byEdge = new Map<string, string[]>();
  for (const { from, event, to } of transitions()) {
    const edge = `${from} --> ${to}`;
    byEdge.set(edge, [...(byEdge.get(edge) ?? []), event]);
  }
  for (const [edge, events] of byEdge) lines.push(`  ${edge}: ${events.join(", ")}`);
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${stateDiagram()}\n`);
