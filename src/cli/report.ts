import { statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { terminalLine } from '../screening/export/neutralise';
import { reportHtml, reportInput, reportMarkdown } from '../screening/export/report';
import { parseArgs, UsageError } from './args';
import type { CliCommand } from './commands';
import { ALLOW_BROKEN_USAGE, onePositional, openReview, reviewErrors } from './review-dir';

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'The methods-section report: sources, duplicates, reviewers, agreement, conflicts, reasons, PRISMA diagram and a paragraph',
  usage: [
    'Usage: sr-screening report [DIR] [--format md|html] [--out FILE]',
    '  md (default) suits a CI job summary: sr-screening report >> "$GITHUB_STEP_SUMMARY"',
    'Exit status: 0 written, 1 a review file with errors, 2 usage error.',
    ALLOW_BROKEN_USAGE,
  ].join('\n'),
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['allow-broken'], ['format', 'out']);
    const format = (flags.get('format') as string | undefined) ?? 'md';
    if (format !== 'md' && format !== 'html') throw new UsageError(`--format must be md or html, not ${format}`);
    const allowBroken = flags.has('allow-broken');
    const review = await openReview(onePositional(positional), { allowBroken });
    if (!allowBroken && reviewErrors(review) > 0) {
      process.stderr.write('sr-screening report: the review has broken files (above); fix them first, so the report does not miss decisions.\n');
      return 1;
    }
    const dates = new Map<string, string>();
    for (const source of review.config.sources) {
      try {
        dates.set(source.file, statSync(review.path(source.file)).mtime.toISOString().slice(0, 10));
      } catch {
        // a missing source is among review.issues already
      }
    }
    const input = reportInput(review, dates);
    const text = format === 'md' ? reportMarkdown(input) : reportHtml(input);
    const out = flags.get('out') as string | undefined;
    if (out) {
      writeFileSync(resolve(out), text);
      process.stderr.write(`sr-screening report: wrote ${terminalLine(out)}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
};
