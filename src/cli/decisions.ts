import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decisionsCsv, decisionsTable } from '../screening/export/decisions-table';
import { terminalLine } from '../screening/export/neutralise';
import { parseArgs, UsageError } from './args';
import type { CliCommand } from './commands';
import { ALLOW_BROKEN_USAGE, onePositional, openReview, reviewErrors } from './review-dir';

export const decisionsCommand: CliCommand = {
  name: 'decisions',
  summary: "The decisions table: each record and stage with every reviewer's verdict, reason, note and time, the resolution and the status",
  usage: [
    'Usage: sr-screening decisions [DIR] [--format csv|json] [--out FILE]',
    'Exit status: 0 written, 1 no decisions yet or a review file with errors, 2 usage error.',
    ALLOW_BROKEN_USAGE,
  ].join('\n'),
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['allow-broken'], ['format', 'out']);
    const format = (flags.get('format') as string | undefined) ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, not ${format}`);
    const allowBroken = flags.has('allow-broken');
    const review = await openReview(onePositional(positional), { allowBroken });
    if (!allowBroken && reviewErrors(review) > 0) {
      process.stderr.write('sr-screening decisions: the review has broken files (above); fix them first, so the table does not miss decisions.\n');
      return 1;
    }
    const rows = decisionsTable(review);
    if (rows.length === 0) {
      process.stderr.write('sr-screening decisions: no decisions yet.\n');
      return 1;
    }
    const text = format === 'csv' ? decisionsCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
    const out = flags.get('out') as string | undefined;
    if (out) {
      writeFileSync(resolve(out), text);
      process.stderr.write(`sr-screening decisions: wrote ${rows.length} row(s) to ${terminalLine(out)}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
};
