import { importCommand } from './import';
import { prismaCommand } from './prisma';
import { conflictsCommand } from './conflicts';
import { agreementCommand } from './agreement';
import { mergeDecisionsCommand } from './merge-decisions';
import { gitSetupCommand } from './git-setup';
import { searchCommand } from './search';
import { simulateCommand } from './simulate';
import { fulltextCommand } from './fulltext';
import { exportCommand } from './export';
import { decisionsCommand } from './decisions';
import { reportCommand } from './report';
import { UsageError } from './args';
import { EXIT_UNREADABLE, UnreadableReviewError } from './review-dir';

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const commands: readonly CliCommand[] = [importCommand, prismaCommand, conflictsCommand, agreementCommand, exportCommand, decisionsCommand, reportCommand, fulltextCommand, mergeDecisionsCommand, gitSetupCommand, searchCommand, simulateCommand];

export function printUsage(out: NodeJS.WritableStream): void {
  out.write('Usage: sr-screening <command> [options]\n\nCommands:\n');
  for (const command of commands) out.write(`  ${command.name.padEnd(18)}${command.summary}\n`);
}

/**
 * Runs one subcommand and turns its refusals into exit statuses: 2 for a usage error, 3 when a review
 * file cannot be read (the message names each with its line). Anything else is a bug and is thrown.
 */
export async function runCommand(command: CliCommand, argv: string[], err: NodeJS.WritableStream = process.stderr): Promise<number> {
  try {
    return await command.run(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`sr-screening ${command.name}: ${error.message}\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof UnreadableReviewError) {
      err.write(`sr-screening ${command.name}: ${error.message}\n`);
      return EXIT_UNREADABLE;
    }
    throw error;
  }
}
