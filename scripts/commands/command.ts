/** Where a command writes: stdout for results (the last line may be JSON for scripts), stderr for messages. */
export type CliIo = {
  out(line: string): void;
  err(line: string): void;
};

/** One top-level CLI command (`npm run cli -- <name> …`), in a file of its own under scripts/commands/. */
export type CliCommand = {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full usage text, printed for --help and after a usage error. */
  usage: string;
  /** Runs with the arguments after the command's name; resolves to the process's exit code. */
  run(args: string[], io: CliIo): Promise<number>;
};

/** Wrong arguments: the CLI prints the message and the command's usage to stderr and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Exit codes: 0 done, 1 failure, 2 bad input (usage errors, invalid values, conflicts). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;
