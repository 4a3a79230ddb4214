import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isStage } from '../screening/decision';
import { EXPORT_STATUSES, formatRecords, RECORD_EXPORT_FORMATS, selectForExport, type ExportStatus, type RecordExportFormat } from '../screening/export/index';
import { terminalLine } from '../screening/export/neutralise';
import { parseArgs, UsageError } from './args';
import type { CliCommand } from './commands';
import { ALLOW_BROKEN_USAGE, onePositional, openReview, reviewErrors } from './review-dir';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export records with their screening outcome as RIS, BibTeX, CSV, CSL-JSON or EndNote XML',
  usage: [
    'Usage: sr-screening export [DIR] --format ris|bibtex|csv|csl-json|endnote-xml [--stage title-abstract|full-text]',
    '                           [--status included|excluded|maybe|pending|conflict|all] [--out FILE]',
    '  --status   which records (default all); judged at --stage, else by the final outcome',
    '  --out      write to FILE instead of standard output',
    'Exit status: 0 exported, 1 nothing to export or a review file with errors, 2 usage error.',
    ALLOW_BROKEN_USAGE,
  ].join('\n'),
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['allow-broken'], ['format', 'stage', 'status', 'out']);
    const format = flags.get('format') as string | undefined;
    if (!format) throw new UsageError('--format is required');
    if (!RECORD_EXPORT_FORMATS.includes(format as RecordExportFormat)) throw new UsageError(`--format must be one of ${RECORD_EXPORT_FORMATS.join(', ')}, not ${format}`);
    const stage = flags.get('stage') as string | undefined;
    if (stage !== undefined && !isStage(stage)) throw new UsageError(`--stage must be title-abstract or full-text, not ${stage}`);
    const status = (flags.get('status') as string | undefined) ?? 'all';
    if (!EXPORT_STATUSES.includes(status as ExportStatus)) throw new UsageError(`--status must be one of ${EXPORT_STATUSES.join(', ')}, not ${status}`);
    const allowBroken = flags.has('allow-broken');
    const review = await openReview(onePositional(positional), { allowBroken });
    if (!allowBroken && reviewErrors(review) > 0) {
      process.stderr.write('sr-screening export: the review has broken files (above); fix them first, so the export does not miss decisions.\n');
      return 1;
    }
    const items = selectForExport(review, { stage: stage as never, status: status as ExportStatus });
    if (items.length === 0) {
      process.stderr.write(`sr-screening export: no ${status === 'all' ? '' : `${status} `}records to export${stage ? ` at ${stage}` : ''}.\n`);
      return 1;
    }
    const text = formatRecords(items, format as RecordExportFormat);
    const out = flags.get('out') as string | undefined;
    if (out) {
      writeFileSync(resolve(out), text);
      process.stderr.write(`sr-screening export: wrote ${items.length} record(s) to ${terminalLine(out)}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  },
};
