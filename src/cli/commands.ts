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
