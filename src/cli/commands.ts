import { importCommand } from './import';

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const commands: readonly CliCommand[] = [importCommand];

export function printUsage(out: NodeJS.WritableStream): void {
  out.write('Usage: sr-screening <command> [options]\n\nCommands:\n');
  for (const command of commands) out.write(`  ${command.name.padEnd(18)}${command.summary}\n`);
}
