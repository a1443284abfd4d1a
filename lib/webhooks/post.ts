import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

/** Delivery requests give up after this long (connect, send and answer). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** What the delivery log keeps of an answer. */
export const RESPONSE_KEEP_CHARS = 2048;

export type PostResult = { statusCode: number; body: string } | { error: string };
export type WebhookPost = (request: { url: string; address: { address: string; family: number }; headers: Record<string, string>; body: string }) => Promise<PostResult>;

/**
 * POSTs to `url`, connecting to the address that was checked (not whatever the name resolves to by then: DNS
 * rebinding), with the URL's host name kept for TLS and the Host header. Never follows redirects.
 */
export const postWebhook: WebhookPost = ({ url, address, headers, body }) =>
  new Promise((resolve) => {
    const target = new URL(url);
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [address]);
      else callback(null, address.address, address.family);
    };
    const client = target.protocol === "https:" ? https : http;
    const started = Date.now();
    const req = client.request(target, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, lookup: pinned, timeout: DELIVERY_TIMEOUT_MS }, (res) => {
      let kept = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (kept.length < RESPONSE_KEEP_CHARS) kept += chunk.slice(0, RESPONSE_KEEP_CHARS - kept.length);
      });
      res.on("end", () => resolve({ statusCode: res.statusCode ?? 0, body: kept }));
      res.on("error", (error) => resolve({ error: error.message }));
    });
    const overall = setTimeout(() => req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)), Math.max(0, DELIVERY_TIMEOUT_MS - (Date.now() - started)));
    req.on("timeout", () => req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)));
    req.on("error", (error) => resolve({ error: error.message }));
    req.on("close", () => clearTimeout(overall));
    req.end(body);
  });
