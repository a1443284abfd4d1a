import { type Effects, effects } from "../effects";
import { type ActionPayload, actionKeys } from "../scheduled-action";

/** How far ahead a manual retry may be planned (seed 004: the merchant picks a date, within the coming year). */
export const MANUAL_RETRY_HORIZON_MS = 366 * 86_400_000;

/**
 * A manual retry of an owed invoice planned at a chosen time (seed 004): one retry action keyed by the invoice and
 * the time (planning it twice is one row), and its audit line. The runner charges it when it falls due.
 */
export function plannedManualRetry(invoiceId: string, at: Date, payload: Omit<ActionPayload, "manual"> = {}): Effects {
  return effects({
    plan: [{ kind: "retry", dueAt: at, key: actionKeys.manualRetry(invoiceId, at), invoiceId, payload: { ...payload, manual: true } }],
    audit: [{ action: "subscription.retry_scheduled", data: { at: at.toISOString(), invoice: invoiceId, ...(payload.bulkJob ? { bulkJob: payload.bulkJob } : {}) } }],
  });
}

/**
 * A manual retry asked for now, as a retry action due at once: a bulk retry charges through the runner's batched
 * open → charge → settle path, and the action (run exactly once) is how the job finds its result again after a crash.
 */
export function requestedManualRetry(invoiceId: string, now: Date, payload: Omit<ActionPayload, "manual"> = {}): Effects {
  return effects({
    plan: [{ kind: "retry", dueAt: now, key: actionKeys.manualRetry(invoiceId, now), invoiceId, payload: { ...payload, manual: true } }],
    audit: [{ action: "subscription.retry_requested", data: { invoice: invoiceId, ...(payload.bulkJob ? { bulkJob: payload.bulkJob } : {}) } }],
  });
}
