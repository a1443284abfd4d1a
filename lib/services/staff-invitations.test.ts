import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditEvents, mails, staffInvitations, staffUsers } from "@/db/schema";
import { signLinkToken } from "@/lib/auth/signed-link";
import type { StaffRole } from "@/lib/auth/roles";
import { renderMail } from "@/lib/mail/render-mail";
import { withSecretLinksHidden } from "@/lib/mail/secret-links";
import { setupTestMerchant, staffMemberOf, type TestMerchant } from "@/test/support/merchant";
import { openTestDatabase } from "@/test/support/database";
import { TEST_LINKS, testPlatform } from "@/test/support/platform";
import { acceptStaffInvitation } from "./accept-staff-invitation";
import { type Clock, fixedClock, type ServiceContext } from "./context";
import { getInvitationView, listStaffInvitations } from "./queries/staff-invitations";
import { listStaff } from "./queries/team";
import { signInStaff } from "./sign-in-staff";
import { inviteStaff, resendStaffInvitation, revokeStaffInvitation } from "./staff-invitations";
import { removeStaff } from "./team";

const NOW = new Date("2027-04-01T01:00:00Z");
const DAY = 86_400_000;
const later = (ms: number): Clock => fixedClock(new Date(NOW.getTime() + ms));
const PASSWORD = "correct horse battery";

describe("staff invitations", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  const platform = (clock: Clock = fixedClock(NOW)) => testPlatform(database.db, { clock });
  const asOther = (ctx: ServiceContext, clock: Clock): ServiceContext => ({ ...ctx, clock });
  let counter = 0;
  const address = (tag: string) => `${tag}-${Date.now()}-${++counter}@invitee.test`;

  async function team(m: TestMerchant) {
    const roles: Partial<Record<StaffRole, ServiceContext>> = {};
    for (const role of ["owner", "admin", "operator", "viewer"] as const) roles[role] = await staffMemberOf(database, m, role, NOW);
    return roles as Record<StaffRole, ServiceContext>;
  }

  /** The invitation mails queued for an address, oldest first, with the token of each one's link. */
  async function mailsTo(m: TestMerchant, to: string) {
    const rows = await database.db
      .select()
      .from(mails)
      .where(and(eq(mails.merchantId, m.merchantId), eq(mails.toAddress, to)))
      .orderBy(asc(mails.queuedAt), asc(mails.id));
    return rows.map((row) => ({ row, token: new URL(row.variables.invitation_url!).searchParams.get("token")! }));
  }

  async function firstToken(m: TestMerchant, to: string): Promise<string> {
    const [first] = await mailsTo(m, to);
    expect(first).toBeDefined();
    return first!.token;
  }

  async function invitationRows(m: TestMerchant) {
    return database.db.select().from(staffInvitations).where(eq(staffInvitations.merchantId, m.merchantId));
  }

  async function audits(m: TestMerchant, action: string) {
    return database.db.select().from(auditEvents).where(and(eq(auditEvents.merchantId, m.merchantId), eq(auditEvents.action, action)));
  }

  it("an owner invites by mail: one invitation, one mail from the merchant in the inviter's language with a signed link, audited", async () => {
    const m = await setupTestMerchant(database);
    const { owner } = await team(m);
    await database.db.update(staffUsers).set({ locale: "en", name: "Hanako Owner" }).where(eq(staffUsers.id, owner.actor.id!));
    const email = address("new");
    const { invitationId } = await inviteStaff(owner, { email: `  ${email.toUpperCase()} `, role: "operator" });

    const [row] = await invitationRows(m);
    expect(row).toMatchObject({ id: invitationId, email, role: "operator", locale: "en", invitedBy: owner.actor.id, acceptedAt: null, revokedAt: null });
    expect(row!.expiresAt).toEqual(new Date(NOW.getTime() + 7 * DAY));

    const [mail] = await mailsTo(m, email);
    expect(mail!.row).toMatchObject({ template: "staff_invitation", locale: "en", status: "queued", customerId: null });
    expect(mail!.row.variables).toMatchObject({ merchant: "テスト商店", inviter: "Hanako Owner", role: "Operator" });
    expect(mail!.row.variables.invitation_url).toMatch(/^http:\/\/localhost:3000\/invitation\?token=/);
    const rendered = await renderMail({ template: "staff_invitation", locale: "en", variables: mail!.row.variables, override: null });
    expect(rendered.subject).toBe("[テスト商店] You are invited to the console");
    expect(rendered.html).toContain(`href="${mail!.row.variables.invitation_url}"`);
    // Staff reading the outbox never see the link itself: it is a key to a new login.
    const shown = withSecretLinksHidden({ ...rendered, textBody: rendered.text, variables: mail!.row.variables });
    expect(`${shown.html}${shown.textBody}`).not.toContain(mail!.token);

    expect(await getInvitationView(platform(), mail!.token)).toMatchObject({ ok: true, merchantName: "テスト商店", email, role: "operator" });
    expect(await audits(m, "staff.invited")).toMatchObject([{ actorId: owner.actor.id, targetId: invitationId, data: { email, role: "operator" } }]);
    expect(await listStaffInvitations(owner)).toMatchObject([{ id: invitationId, email, role: "operator", invitedBy: "Hanako Owner" }]);
  });

  it("refuses by role and bad input, changing nothing: operators and viewers invite no one, admins invite no owner", async () => {
    const m = await setupTestMerchant(database);
    const { owner, admin, operator, viewer } = await team(m);
    await expect(inviteStaff(operator, { email: address("x"), role: "viewer" })).rejects.toMatchObject({ code: "forbidden", details: { reason: "role" } });
    await expect(inviteStaff(viewer, { email: address("x"), role: "viewer" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(inviteStaff(admin, { email: address("x"), role: "owner" })).rejects.toMatchObject({ code: "forbidden", details: { reason: "owner_only" } });
    await expect(inviteStaff(owner, { email: "not an address", role: "viewer" })).rejects.toMatchObject({ code: "invalid", details: { param: "email" } });
    await expect(inviteStaff(owner, { email: address("x"), role: "boss" as StaffRole })).rejects.toMatchObject({ code: "invalid", details: { param: "role" } });
    expect(await invitationRows(m)).toEqual([]);
    expect(await database.db.select().from(mails).where(eq(mails.merchantId, m.merchantId))).toEqual([]);

    await inviteStaff(admin, { email: address("ok"), role: "admin" });
    await inviteStaff(owner, { email: address("ok"), role: "owner" });
    expect(await invitationRows(m)).toHaveLength(2);
  });

  it("refuses a member's address, another merchant's staff address, and an address with an open invitation", async () => {
    const m = await setupTestMerchant(database);
    const { owner } = await team(m);
    const [member] = await listStaff(owner);
    await expect(inviteStaff(owner, { email: member!.email.toUpperCase(), role: "viewer" })).rejects.toMatchObject({ code: "conflict", details: { reason: "already_member" } });
    const other = await setupTestMerchant(database);
    const { viewer: stranger } = await team(other);
    const strangerEmail = (await listStaff(other.ctx())).find((s) => s.id === stranger.actor.id)!.email;
    await expect(inviteStaff(owner, { email: strangerEmail, role: "viewer" })).rejects.toMatchObject({ code: "conflict", details: { reason: "email_taken" } });

    const email = address("twice");
    const first = await inviteStaff(owner, { email, role: "viewer" });
    await expect(inviteStaff(owner, { email, role: "admin" })).rejects.toMatchObject({ code: "conflict", details: { reason: "already_invited" } });
    // Two at once: one invitation.
    const racing = address("race");
    const raced = await Promise.allSettled([inviteStaff(owner, { email: racing, role: "viewer" }), inviteStaff(owner, { email: racing, role: "viewer" })]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    // A revoked or expired invitation leaves the address free again.
    await revokeStaffInvitation(owner, { invitationId: first.invitationId });
    await inviteStaff(owner, { email, role: "admin" });
    await inviteStaff(asOther(owner, later(8 * DAY)), { email, role: "admin" });
    expect((await invitationRows(m)).filter((r) => r.email === email)).toHaveLength(3);
  });

  it("accepting makes the login with the invited role in one go; the link then opens nothing, and the new member signs in", async () => {
    const m = await setupTestMerchant(database);
    const { owner } = await team(m);
    const email = address("join");
    const { invitationId } = await inviteStaff(owner, { email, role: "admin" });
    const token = await firstToken(m, email);

    const at = later(DAY);
    await expect(acceptStaffInvitation(platform(at), { token, name: "新人", password: PASSWORD, passwordConfirm: "something else" })).rejects.toMatchObject({ code: "invalid", details: { param: "passwordConfirm" } });
    await expect(acceptStaffInvitation(platform(at), { token, name: "新人", password: "short", passwordConfirm: "short" })).rejects.toMatchObject({ code: "invalid", details: { param: "password" } });
    await expect(acceptStaffInvitation(platform(at), { token, name: "  ", password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toMatchObject({ code: "invalid", details: { param: "name" } });
    expect((await listStaff(owner)).map((s) => s.email)).not.toContain(email);

    const accepted = await acceptStaffInvitation(platform(at), { token, name: " 新人 花子 ", password: PASSWORD, passwordConfirm: PASSWORD });
    expect(accepted.email).toBe(email);
    const joined = (await listStaff(owner)).find((s) => s.email === email);
    expect(joined).toMatchObject({ id: accepted.staffUserId, name: "新人 花子", role: "admin" });
    const signedIn = await signInStaff(platform(at), { email, password: PASSWORD, address: null });
    expect(signedIn).toMatchObject({ ok: true, staff: { staffUserId: accepted.staffUserId, merchantId: m.merchantId, role: "admin" } });
    expect((await invitationRows(m))[0]).toMatchObject({ id: invitationId, acceptedAt: at.now(), acceptedBy: accepted.staffUserId });
    expect(await audits(m, "staff.joined")).toMatchObject([{ actorType: "staff", actorId: accepted.staffUserId, targetId: accepted.staffUserId, data: { email, role: "admin", invitationId } }]);
    expect(await listStaffInvitations(owner)).toEqual([]);

    // Used: the same link again changes nothing, and neither resend nor revoke touches an accepted invitation.
    await expect(acceptStaffInvitation(platform(at), { token, name: "二度目", password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toMatchObject({ code: "conflict", details: { reason: "invitation_used" } });
    expect(await getInvitationView(platform(at), token)).toEqual({ ok: false, reason: "used" });
    await expect(resendStaffInvitation(owner, { invitationId })).rejects.toMatchObject({ details: { reason: "invitation_accepted" } });
    await expect(revokeStaffInvitation(owner, { invitationId })).rejects.toMatchObject({ details: { reason: "invitation_accepted" } });
    expect((await listStaff(owner)).filter((s) => s.email === email)).toHaveLength(1);
  });

  it("two acceptances of one link at once make one login", async () => {
    const m = await setupTestMerchant(database);
    const { owner } = await team(m);
    const email = address("race");
    await inviteStaff(owner, { email, role: "viewer" });
    const token = await firstToken(m, email);
    const results = await Promise.allSettled([
      acceptStaffInvitation(platform(), { token, name: "A", password: PASSWORD, passwordConfirm: PASSWORD }),
      acceptStaffInvitation(platform(), { token, name: "B", password: PASSWORD, passwordConfirm: PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict", details: { reason: "invitation_used" } } });
    expect((await listStaff(owner)).filter((s) => s.email === email)).toHaveLength(1);
  });

  it("an expired invitation opens nothing; sending it again gives a fresh link and a new week, the old link stays dead", async () => {
    const m = await setupTestMerchant(database);
    const { admin } = await team(m);
    const email = address("late");
    const { invitationId } = await inviteStaff(admin, { email, role: "operator" });
    const oldToken = await firstToken(m, email);

    const afterExpiry = later(7 * DAY + 1000);
    expect(await getInvitationView(platform(afterExpiry), oldToken)).toEqual({ ok: false, reason: "expired" });
    await expect(acceptStaffInvitation(platform(afterExpiry), { token: oldToken, name: "遅刻", password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toMatchObject({ details: { reason: "invitation_expired" } });
    expect(await listStaffInvitations(admin)).toHaveLength(1);

    const resent = await resendStaffInvitation(asOther(admin, afterExpiry), { invitationId });
    expect(resent.expiresAt).toEqual(new Date(afterExpiry.now().getTime() + 7 * DAY));
    const sent = await mailsTo(m, email);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.token).not.toBe(oldToken);
    expect(await audits(m, "staff.invitation_resent")).toMatchObject([{ actorId: admin.actor.id, targetId: invitationId }]);
    await expect(acceptStaffInvitation(platform(afterExpiry), { token: oldToken, name: "遅刻", password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toMatchObject({ details: { reason: "invitation_expired" } });
    const { staffUserId } = await acceptStaffInvitation(platform(afterExpiry), { token: sent[1]!.token, name: "遅刻", password: PASSWORD, passwordConfirm: PASSWORD });
    expect((await listStaff(admin)).find((s) => s.id === staffUserId)?.role).toBe("operator");
  });

  it("a revoked invitation opens nothing and cannot be sent again; only owners revoke or resend an owner's invitation", async () => {
    const m = await setupTestMerchant(database);
    const { owner, admin, operator } = await team(m);
    const email = address("revoke");
    const { invitationId } = await inviteStaff(owner, { email, role: "owner" });
    const token = await firstToken(m, email);
    await expect(revokeStaffInvitation(admin, { invitationId })).rejects.toMatchObject({ code: "forbidden", details: { reason: "owner_only" } });
    await expect(resendStaffInvitation(admin, { invitationId })).rejects.toMatchObject({ code: "forbidden", details: { reason: "owner_only" } });
    await expect(revokeStaffInvitation(operator, { invitationId })).rejects.toMatchObject({ code: "forbidden", details: { reason: "role" } });
    const other = await setupTestMerchant(database);
    const { owner: otherOwner } = await team(other);
    await expect(revokeStaffInvitation(otherOwner, { invitationId })).rejects.toMatchObject({ code: "not_found" });

    await revokeStaffInvitation(owner, { invitationId });
    await revokeStaffInvitation(owner, { invitationId });
    expect(await audits(m, "staff.invitation_revoked")).toHaveLength(1);
    expect(await getInvitationView(platform(), token)).toEqual({ ok: false, reason: "revoked" });
    await expect(acceptStaffInvitation(platform(), { token, name: "取消", password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toMatchObject({ code: "conflict", details: { reason: "invitation_revoked" } });
    await expect(resendStaffInvitation(owner, { invitationId })).rejects.toMatchObject({ details: { reason: "invitation_revoked" } });
    expect(await mailsTo(m, email)).toHaveLength(1);
    expect(await listStaffInvitations(owner)).toEqual([]);
    expect((await listStaff(owner)).map((s) => s.email)).not.toContain(email);
  });

  it("a forged, cut or other-purpose token opens nothing", async () => {
    const m = await setupTestMerchant(database);
    const { owner } = await team(m);
    const email = address("forged");
    const { invitationId } = await inviteStaff(owner, { email, role: "viewer" });
    const token = await firstToken(m, email);
    const forged = await signLinkToken("another-secret", { purpose: "staff_invitation", subject: invitationId, merchantId: m.merchantId, expiresAt: new Date(NOW.getTime() + DAY) });
    const receipt = await signLinkToken(TEST_LINKS.secret, { purpose: "receipt", subject: invitationId, merchantId: m.merchantId, expiresAt: new Date(NOW.getTime() + DAY) });
    const otherMerchant = await signLinkToken(TEST_LINKS.secret, { purpose: "staff_invitation", subject: invitationId, merchantId: "mer_other", expiresAt: new Date(NOW.getTime() + DAY) });
    for (const bad of [forged, receipt, otherMerchant, token.slice(0, -4), "nonsense"]) {
      expect(await getInvitationView(platform(), bad)).toEqual({ ok: false, reason: "invalid" });
      await expect(acceptStaffInvitation(platform(), { token: bad, name: "偽", password: PASSWORD, passwordConfirm: PASSWORD })).rejects.toMatchObject({ details: { reason: "invitation_invalid" } });
    }
    expect((await invitationRows(m))[0]!.acceptedAt).toBeNull();
  });

  it("removing the inviter keeps their invitations open, without a name", async () => {
    const m = await setupTestMerchant(database);
    const { owner, admin } = await team(m);
    await inviteStaff(admin, { email: address("orphan"), role: "viewer" });
    await removeStaff(owner, { staffUserId: admin.actor.id! });
    expect(await listStaffInvitations(owner)).toMatchObject([{ invitedBy: null }]);
  });
});
