import { createHash } from "node:crypto";
import { randomBase62 } from "@/lib/auth/random";

/** A bearer secret for a cookie or a mailed link: 43 base62 characters (≈256 bits). */
export const newSecretToken = () => randomBase62(43);

/** What the database keeps of a token: its SHA-256, so that a copy of the table signs nobody in. */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
