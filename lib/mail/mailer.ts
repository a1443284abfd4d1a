/** A rendered mail as it leaves: what a provider needs, nothing of the outbox. */
export type OutgoingMail = {
  /** `"Sender name" <address>` */
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
  /** The provider's idempotency key for this mail: a repeated send of one outbox row sends nothing new. */
  idempotencyKey: string;
  tags?: { name: string; value: string }[];
  /** Files rendered for this send (mails.attachments): a mail with any goes to the provider alone (Resend's batch takes none). */
  attachments?: OutgoingAttachment[];
};

/** A file a mail carries. Its bytes are the same at every send of one mail, so a replay is the same request. */
export type OutgoingAttachment = { filename: string; content: Buffer; contentType: string };

/**
 * What became of one mail of a batch (same order as the batch):
 * - sent: the provider accepted it (its message id);
 * - not_delivered: no provider is configured (the outbox keeps it);
 * - failed: refused for good (a validation error): sending again would not help;
 * - retry: not accepted this time (rate limit, provider error, network): try again, not before `retryAfterMs`.
 */
export type DeliveryResult =
  | { status: "sent"; providerMessageId: string }
  | { status: "not_delivered"; reason: string }
  | { status: "failed"; error: string }
  | { status: "retry"; error: string; retryAfterMs: number | null };

/**
 * The mail port: hands rendered mails to a provider. A batch is sent as one unit where the provider allows it; the
 * caller sends the same batch again (same mails, same keys) after a crash, so an adapter must make that harmless.
 */
export interface Mailer {
  readonly name: string;
  send(batch: readonly OutgoingMail[]): Promise<DeliveryResult[]>;
}

/** Without a provider: every mail stays in the outbox, marked not delivered; nothing pretends it was sent. */
export const outboxMailer: Mailer = {
  name: "outbox",
  async send(batch) {
    return batch.map(() => ({ status: "not_delivered", reason: "no_mail_provider" }));
  },
};

/** `"Sender" <address>`: the display name quoted, so that commas and angle brackets in it stay part of the name. */
export function fromHeader(senderName: string, address: string): string {
  const name = senderName.replace(/[\r\n]+/g, " ").replace(/["\\]/g, (c) => `\\${c}`).trim();
  return name ? `"${name}" <${address}>` : address;
}
