import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

export type VerifyKeizokuSignature = (rawBody: string, header: string | undefined, secret: string, toleranceSeconds?: number, now?: number) => boolean;

/** The README's verification snippet, taken from between its markers and loaded as it is, so the tests use what merchants copy. */
export async function readmeVerifier(): Promise<VerifyKeizokuSignature> {
  const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
  const block = /<!-- webhook-verify:start -->\s*```js\n([\s\S]*?)```\s*<!-- webhook-verify:end -->/.exec(readme);
  if (!block) throw new Error("README.md has no webhook-verify block");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "kz-verify-")), "verify.mjs");
  writeFileSync(file, block[1]!);
  const loaded = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { verifyKeizokuSignature: VerifyKeizokuSignature };
  return loaded.verifyKeizokuSignature;
}
