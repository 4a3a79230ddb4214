import type { CliCommand } from './commands';
import { parseArgs } from './args';
import { ALLOW_BROKEN_USAGE, onePositional, openReview } from './review-dir';

export const agreementCommand: CliCommand = {
  name: 'agreement',
  summary: "Print Cohen's kappa and percent agreement per stage for every reviewer pair",
  usage: `Usage: sr-screening agreement [DIR] [--json] [--allow-broken]\n${ALLOW_BROKEN_USAGE}`,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['json', 'allow-broken']);
    const review = await openReview(onePositional(positional), { allowBroken: flags.has('allow-broken') });
    const report = review.agreement();
    if (flags.has('json')) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    if (report.length === 0) {
      process.stdout.write('No two reviewers have screened the same records yet.\n');
      return 0;
    }
    const kappa = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
    process.stdout.write('| Stage | Reviewers | n | Agreement | Kappa | Include vs not: agreement | Kappa |\n| --- | --- | --- | --- | --- | --- | --- |\n');
    for (const pair of report) {
      process.stdout.write(
        `| ${pair.stage} | ${pair.reviewers.join(' / ')} | ${pair.n} | ${pair.verdicts.percentAgreement.toFixed(1)}% | ${kappa(pair.verdicts.kappa)} | ` +
          `${pair.includeVsNot.percentAgreement.toFixed(1)}% | ${kappa(pair.includeVsNot.kappa)} |\n`,
      );
    }
    return 0;
  },
};
