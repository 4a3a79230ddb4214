import type { CliCommand } from './commands';
import { parseArgs } from './args';
import { ALLOW_BROKEN_USAGE, onePositional, openReview } from './review-dir';
import type { KappaResult } from '../screening/agreement';
import { terminalLine } from '../screening/export/neutralise';

export const MAYBE_TREATMENT =
  'Maybe is counted three ways: as its own category (all verdicts), as not included (include vs not), and as include (include-or-maybe vs exclude, as Covidence counts it).';

export const agreementCommand: CliCommand = {
  name: 'agreement',
  summary: "Print Cohen's kappa with 95 % CI, percent agreement and the count table per stage and reviewer pair; Fleiss' kappa for 3+ reviewers",
  usage: `Usage: sr-screening agreement [DIR] [--json] [--allow-broken]\n${ALLOW_BROKEN_USAGE}`,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['json', 'allow-broken']);
    const review = await openReview(onePositional(positional), { allowBroken: flags.has('allow-broken') });
    const report = review.agreement();
    const groups = review.groupAgreement();
    if (flags.has('json')) {
      // The pairs, as before; Fleiss' kappa is in the Markdown and in `sr-screening report --format json`.
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    if (report.length === 0) {
      process.stdout.write('No two reviewers have screened the same records yet.\n');
      return 0;
    }
    const out = process.stdout;
    out.write(`${MAYBE_TREATMENT}\n\n`);
    out.write('| Stage | Reviewers | n | Coding | Agreement | Kappa | 95 % CI |\n| --- | --- | --- | --- | --- | --- | --- |\n');
    for (const pair of report) {
      const who = terminalLine(pair.reviewers.join(' / '));
      for (const [coding, result] of [
        ['all verdicts', pair.verdicts],
        ['include vs not', pair.includeVsNot],
        ['include-or-maybe vs exclude', pair.maybeAsInclude],
      ] as const) {
        out.write(`| ${pair.stage} | ${who} | ${pair.n} | ${coding} | ${result.percentAgreement.toFixed(1)}% | ${kappaText(result)} | ${ciText(result)} |\n`);
      }
    }
    for (const pair of report) {
      out.write(`\n${pair.stage}, ${terminalLine(pair.reviewers[0])} (rows) × ${terminalLine(pair.reviewers[1])} (columns):\n`);
      const width = Math.max(...pair.categories.map((category) => category.length), 8);
      out.write(`${''.padEnd(width)}  ${pair.categories.map((category) => category.padStart(width)).join('  ')}\n`);
      pair.table.forEach((row, i) => out.write(`${pair.categories[i].padEnd(width)}  ${row.map((count) => String(count).padStart(width)).join('  ')}\n`));
    }
    for (const group of groups) {
      out.write(
        `\nFleiss' kappa, ${group.stage}, ${group.reviewers.length} reviewers, ${group.verdicts.n} records all decided: ` +
          `all verdicts ${kappaText(group.verdicts)}, include vs not ${kappaText(group.includeVsNot)}\n`,
      );
    }
    return 0;
  },
};

function kappaText(result: { kappa: number | null }): string {
  return result.kappa === null ? 'n/a' : result.kappa.toFixed(3);
}

function ciText(result: KappaResult): string {
  return result.ci95 ? `${result.ci95[0].toFixed(3)} – ${result.ci95[1].toFixed(3)}` : 'n/a';
}
