import { describe, expect, it } from "vitest";
import { readmeVerifier } from "@/test/support/readme-webhook-verify";
import { newEndpointSecret, signatureHeader } from "./signature";

describe("webhook signatures, checked with the README's snippet", () => {
  it("verifies a signed body within 300 s, and refuses a changed body, another secret, a stale or future time and junk", async () => {
    const verify = await readmeVerifier();
    const secret = newEndpointSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const body = JSON.stringify({ id: "evt_1", type: "invoice.paid", created: 1_800_000_000, data: { object: { id: "in_1", amount: "¥3,980" } } });
    const at = new Date("2027-01-01T00:00:00Z");
    const header = signatureHeader(secret, body, at);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(body, header, secret, 300, at.getTime())).toBe(true);
    expect(verify(body, header, secret, 300, at.getTime() + 299_000)).toBe(true);
    expect(verify(body, header, secret, 300, at.getTime() + 301_000)).toBe(false);
    expect(verify(body, header, secret, 300, at.getTime() - 301_000)).toBe(false);
    expect(verify(`${body} `, header, secret, 300, at.getTime())).toBe(false);
    expect(verify(body, header, newEndpointSecret(), 300, at.getTime())).toBe(false);
    expect(verify(body, undefined, secret, 300, at.getTime())).toBe(false);
    expect(verify(body, "t=abc,v1=00", secret, 300, at.getTime())).toBe(false);
    // A second signature (a rotated secret) beside the right one still verifies.
    expect(verify(body, `${header},v1=${"0".repeat(64)}`, secret, 300, at.getTime())).toBe(true);
  });
});
