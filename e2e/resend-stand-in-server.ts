/**
 * The browser tests' stand-in for Resend's servers (Playwright's second web server): the server under test delivers
 * its mails here through the official SDK (RESEND_BASE_URL), and the tests read what arrived from
 * GET /_stand-in/messages. Resend itself cannot be reached from the test machines.
 */
import { startResendStandIn } from "@/test/support/resend-stand-in";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error("usage: resend-stand-in-server.ts <port>");
const standIn = await startResendStandIn({ port });
console.log(`Resend stand-in on ${standIn.url}`);
const stop = () => void standIn.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
