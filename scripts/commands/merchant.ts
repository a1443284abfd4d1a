import { parseArgs } from "node:util";
import { openConfiguredDatabase } from "@/lib/runtime";
import type { Actor } from "@/lib/services/context";
import { systemClock } from "@/lib/services/context";
import { createMerchant, createMerchantInput, type CreateMerchantInput } from "@/lib/services/create-merchant";
import { parseInput } from "@/lib/services/errors";
import { EXIT_OK, UsageError, type CliCommand, type CliIo } from "./command";

const OPERATOR: Actor = { type: "operator", id: "cli" };

const usage = `Usage:
  npm run cli -- merchant create --name NAME --email EMAIL --password PASSWORD [--time-zone ZONE] [--currency CUR]

Creates a merchant with its owner's staff login (EMAIL / PASSWORD) and one API secret key.
Prints a line for people, then as the last line of stdout:
  {"merchant_id": "mer_…", "secret_key": "sk_…"}
Options:
  --name        the merchant's name
  --email       the owner's login email (unique across all staff logins)
  --password    at least 8 characters
  --time-zone   IANA time zone of the merchant's billing days (default Asia/Tokyo)
  --currency    3-letter currency code (default jpy)
Exit codes: 0 created, 2 bad input or email already taken (nothing written), 1 other failures.`;

async function create(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: "string" },
      email: { type: "string" },
      password: { type: "string" },
      "time-zone": { type: "string" },
      currency: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const missing = (["name", "email", "password"] as const).filter((option) => values[option] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(", ")}`);

  const input: CreateMerchantInput = {
    name: values.name!,
    email: values.email!,
    password: values.password!,
    timeZone: values["time-zone"],
    currency: values.currency,
  };
  // Bad input is refused before the database is even opened.
  parseInput(createMerchantInput, input);

  const database = await openConfiguredDatabase();
  let result;
  try {
    result = await createMerchant({ db: database.db, actor: OPERATOR, clock: systemClock }, input);
  } finally {
    await database.close();
  }
  io.out(`Created merchant ${input.name.trim()} (${result.merchantId}) with owner login ${input.email.trim().toLowerCase()}; the secret key is shown only this once.`);
  // Written out so that the line reads exactly as documented: {"merchant_id": "...", "secret_key": "sk_..."}
  io.out(`{"merchant_id": ${JSON.stringify(result.merchantId)}, "secret_key": ${JSON.stringify(result.secretKey)}}`);
  return EXIT_OK;
}

export const merchantCommand: CliCommand = {
  name: "merchant",
  summary: "merchant create: a merchant, its owner login and an API secret key",
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === "create") return create(rest, io);
    throw new UsageError(sub ? `unknown subcommand 'merchant ${sub}'` : "missing subcommand");
  },
};
