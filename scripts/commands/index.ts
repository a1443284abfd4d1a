import type { CliCommand } from "./command";
import { databaseCommand } from "./database";
import { merchantCommand } from "./merchant";
import { runnerCommand } from "./runner";

/**
 * Every command of `npm run cli`. To add one, write scripts/commands/<name>.ts exporting a CliCommand
 * and list it here (e.g. the standalone `runner`).
 */
export const COMMANDS: readonly CliCommand[] = [merchantCommand, runnerCommand, databaseCommand];
