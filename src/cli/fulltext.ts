import type { CliCommand } from './commands';
import { parseArgs } from './args';
import { onePositional, openReview } from './review-dir';
import { FullTexts, type RetrievalState } from '../screening/fulltext/fulltext';
import { METHOD_LABELS } from '../screening/fulltext/match';

const STATE_LABELS: Record<RetrievalState, string> = {
  found: 'PDF',
  'missing-file': 'PDF missing',
  'not-found': 'no PDF',
  'not-retrieved': 'not retrieved',
};

export const fulltextCommand: CliCommand = {
  name: 'fulltext',
  summary: 'List the records included at title/abstract with their PDF (exit 1 while any has neither a PDF nor "not retrieved")',
  usage:
    'Usage: sr-screening fulltext [DIR] [--json] [--match]\n' +
    '  --match  first match the PDFs in the folder to the records (writes screening/fulltext.json)\n' +
    'Exit status: 0 every included record has its PDF or is marked not retrieved, 1 some have neither, 2 usage error.',
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['json', 'match']);
    const review = await openReview(onePositional(positional));
    const fullTexts = await FullTexts.load(review);
    for (const issue of fullTexts.issues) process.stderr.write(`${issue.file}${issue.line > 0 ? `:${issue.line}` : ''}: ${issue.severity}: ${issue.message}\n`);
    const summary = flags.has('match') ? await fullTexts.match() : undefined;
    const report = fullTexts.report();
    const missing = report.filter((entry) => entry.state === 'not-found' || entry.state === 'missing-file');
    const unmatched = fullTexts.unmatched();
    if (flags.has('json')) {
      const records = report.map(({ record, state, link }) => ({
        record: record.id,
        title: record.title,
        state,
        pdf: link?.file ?? null,
        method: link?.file ? link.method : null,
        detail: link?.file ? link.detail : null,
      }));
      const out = {
        sought: report.length,
        withPdf: report.filter((entry) => entry.state === 'found').length,
        notRetrieved: report.filter((entry) => entry.state === 'not-retrieved').length,
        missing: missing.length,
        records,
        unmatchedPdfs: unmatched,
        ...(summary ? { matched: summary.matches.length, unreadable: summary.unreadable } : {}),
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      if (summary) process.stdout.write(`Matched ${summary.matches.length} PDF${summary.matches.length === 1 ? '' : 's'}.\n`);
      for (const { record, state, link } of report) {
        const how = link?.file ? `\t${link.file}\t${METHOD_LABELS[link.method]}${link.detail ? ` (${link.detail})` : ''}` : '';
        process.stdout.write(`${record.id}\t${STATE_LABELS[state]}${how}\t${record.title}\n`);
      }
      for (const item of summary?.unreadable ?? []) process.stdout.write(`${item.file}: ${item.message}\n`);
      if (unmatched.length > 0) {
        process.stdout.write(`PDFs no record has (${unmatched.length}):\n`);
        for (const file of unmatched) process.stdout.write(`  ${file}\n`);
      }
      const found = report.filter((entry) => entry.state === 'found').length;
      const notRetrieved = report.filter((entry) => entry.state === 'not-retrieved').length;
      process.stdout.write(`${report.length} sought for retrieval: ${found} with a PDF, ${notRetrieved} not retrieved, ${missing.length} without either.\n`);
    }
    fullTexts.dispose();
    return missing.length > 0 ? 1 : 0;
  },
};
