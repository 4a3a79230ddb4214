import type { CliCommand } from './commands';
import { parseArgs, UsageError } from './args';
import { ALLOW_BROKEN_USAGE, onePositional, openReview } from './review-dir';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { prismaText, type PrismaTextFormat } from '../screening/prisma-export';

export const prismaCommand: CliCommand = {
  name: 'prisma',
  summary: 'Print or write the PRISMA 2020 flow: the diagram (SVG), the PRISMA2020 package CSV, Markdown or JSON',
  usage: [
    'Usage: sr-screening prisma [DIR] [--format md|json|csv|svg] [--out FILE] [--detail] [--allow-broken]',
    '  --format   md (default): a Markdown table; json: the counts; csv: the PRISMA2020 R package template;',
    '             svg: the PRISMA 2020 flow diagram',
    '  --out      write to FILE instead of standard output',
    '  --detail   svg: list each database and register in the identification box',
    ALLOW_BROKEN_USAGE,
  ].join('\n'),
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['detail', 'allow-broken'], ['format', 'out']);
    const format = (flags.get('format') as string | undefined) ?? 'md';
    if (format === 'png') {
      throw new UsageError('--format png needs a browser to draw the diagram: export PNG from VS Code (Screening: Export PRISMA Flow…), or convert the SVG');
    }
    if (!TEXT_FORMATS.includes(format as PrismaTextFormat)) throw new UsageError(`--format must be md, json, csv or svg, not ${format}`);
    const out = flags.get('out') as string | undefined;
    const review = await openReview(onePositional(positional), { allowBroken: flags.has('allow-broken') });
    const counts = review.counts();
    const text = prismaText(counts, format as PrismaTextFormat, { detail: flags.has('detail'), reviewTitle: review.config.title });
    if (out) {
      writeFileSync(resolve(out), text);
      process.stderr.write(`sr-screening prisma: wrote ${out}\n`);
    } else {
      process.stdout.write(text);
    }
    if (counts.pending.total > 0 && (format !== 'md' || out)) {
      process.stderr.write(`sr-screening prisma: ${counts.pending.total} records are still pending; the counts are not final.\n`);
    }
    return 0;
  },
};

const TEXT_FORMATS: readonly PrismaTextFormat[] = ['md', 'json', 'csv', 'svg'];
