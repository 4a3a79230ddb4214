import { importFiles } from '../screening/import-records';
import type { ImportProblem } from '../screening/record';
import { parseArgs, UsageError } from './args';
import type { CliCommand } from './commands';
import { readImportInputs } from './files';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import export files or folders; print records, duplicates and problems',
  usage: 'Usage: sr-screening import FILE|DIR... [--json]\n  Exit 0 when at least one record imported, 1 when none, 2 on usage errors.',
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['json']);
    if (positional.length === 0) throw new UsageError('name at least one file or folder to import');
    const outcome = importFiles(readImportInputs(positional));
    if (flags.has('json')) {
      const { records, duplicates, problems } = outcome;
      process.stdout.write(`${JSON.stringify({ records, duplicates, problems }, null, 2)}\n`);
    } else {
      const out = process.stdout;
      for (const file of outcome.files) {
        out.write(`${file.file}: ${file.records} record(s) as ${file.format ?? 'unknown format'}${file.problems ? `, ${file.problems} problem(s)` : ''}\n`);
      }
      out.write(`\n${outcome.records.length + outcome.duplicates.length} records identified, ${outcome.duplicates.length} duplicate(s) removed, ${outcome.records.length} unique.\n`);
      for (const record of outcome.records.slice(0, 50)) {
        const first = record.authors[0] ? `${record.authors[0]}${record.authors.length > 1 ? ' et al.' : ''}` : 'no author';
        out.write(`  ${record.id}  ${record.title || '(no title)'} — ${first}${record.year ? `, ${record.year}` : ''}\n`);
      }
      if (outcome.records.length > 50) out.write(`  … and ${outcome.records.length - 50} more\n`);
      for (const duplicate of outcome.duplicates.slice(0, 20)) {
        out.write(`  duplicate: ${duplicate.id} (${duplicate.provenance.file}:${duplicate.provenance.line}) of ${duplicate.duplicateOf} by ${duplicate.duplicateReason}\n`);
      }
      if (outcome.problems.length > 0) out.write(`\n${outcome.problems.length} problem(s):\n`);
      for (const problem of outcome.problems.slice(0, 100)) out.write(`  ${formatProblem(problem)}\n`);
    }
    return outcome.records.length > 0 ? 0 : 1;
  },
};

export function formatProblem(problem: ImportProblem): string {
  return `${problem.file}${problem.line > 0 ? `:${problem.line}` : ''}: ${problem.severity}: ${problem.message}`;
}
