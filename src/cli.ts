#!/usr/bin/env node
/**
 * Command-line entry: the same domain as the extension, for scripts and CI.
 * Each subcommand lives in src/cli/<name>.ts and is listed in `commands`.
 * Exit codes: 0 success, 1 the command ran but found nothing/failure it reports, 2 usage error,
 * 3 a review file cannot be read (a report on the review refuses to leave it out silently).
 */
import { commands, printUsage, runCommand } from './cli/commands';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printUsage(process.stdout);
    return name ? 0 : 2;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`sr-screening: unknown command '${name}'\n`);
    printUsage(process.stderr);
    return 2;
  }
  return runCommand(command, rest);
}

/** A reader that stops early (`… | head`) closes the pipe: stop quietly, as Unix tools do, not with a stack trace. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
exitQuietlyOnClosedPipe(process.stdout);
exitQuietlyOnClosedPipe(process.stderr);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`sr-screening: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
