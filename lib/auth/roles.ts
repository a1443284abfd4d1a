/**
 * Staff roles, widest first. Owners and admins do everything (owners also keep the account: the last owner cannot
 * be removed); operators work on contracts (retry, cancel, pause, refund, card updates) but change no settings;
 * viewers read.
 */
export const STAFF_ROLES = ["owner", "admin", "operator", "viewer"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
