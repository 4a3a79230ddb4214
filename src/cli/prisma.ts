import type { CliCommand } from './commands';
import { parseArgs, UsageError } from './args';
import { onePositional, openReview } from './review-dir';
import { prismaCsv, prismaJson, prismaMarkdown } from '../screening/prisma';

export const prismaCommand: CliCommand = {
  name: 'prisma',
  summary: 'Print the PRISMA 2020 flow counts (Markdown, JSON, or the PRISMA2020 package CSV)',
  usage: 'Usage: sr-screening prisma [DIR] [--format md|json|csv]',
  async run(argv) {
    const { positional, flags } = parseArgs(argv, [], ['format']);
    const format = (flags.get('format') as string | undefined) ?? 'md';
    if (!['md', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be md, json or csv, not ${format}`);
    const review = await openReview(onePositional(positional));
    const counts = review.counts();
    process.stdout.write(format === 'json' ? prismaJson(counts) : format === 'csv' ? prismaCsv(counts) : prismaMarkdown(counts));
    if (counts.pending.total > 0 && format !== 'md') {
      process.stderr.write(`sr-screening prisma: ${counts.pending.total} records are still pending; the counts are not final.\n`);
    }
    return 0;
  },
};
