/**
 * The operator CLI: `npm run cli -- <command> [options]`. Commands live in scripts/commands/ and are
 * registered in scripts/commands/index.ts. Exit codes: 0 done, 1 failure, 2 bad input.
 */
import { ServiceError } from "@/lib/services/errors";
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliIo } from "./commands/command";
import { COMMANDS } from "./commands/index";

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: npm run cli -- <command> [options]   (--help after a command for its options)",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

/** parseArgs reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code. */
function isParseArgsError(error: unknown): error is Error {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? io.out : io.err)(overview());
    return name ? EXIT_OK : EXIT_BAD_INPUT;
  }
  const command: CliCommand | undefined = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command '${name}'.\n\n${overview()}`);
    return EXIT_BAD_INPUT;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.out(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`Error: ${error.message}\n\n${command.usage}`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof ServiceError) {
      io.err(`Error (${error.code}): ${error.message}`);
      return error.code === "invalid" || error.code === "conflict" ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }
    // A data directory left by an older Keizoku (PGlite) is explained, not dumped as a stack.
    const plain = error instanceof Error && error.name === "OldPgliteDataDirError";
    io.err(`Error: ${error instanceof Error ? (plain ? error.message : (error.stack ?? error.message)) : String(error)}`);
    return EXIT_FAILURE;
  }
}

process.exit(await runCli(process.argv.slice(2)));
