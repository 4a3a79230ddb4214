import type { CliCommand } from './commands';
import { parseArgs } from './args';
import { ALLOW_BROKEN_USAGE, onePositional, openReview } from './review-dir';

export const conflictsCommand: CliCommand = {
  name: 'conflicts',
  summary: 'List unresolved disagreements between reviewers (exit 1 while any remain)',
  usage: `Usage: sr-screening conflicts [DIR] [--json] [--allow-broken]\nExit status: 0 none unresolved, 1 some unresolved, 2 usage error.\n${ALLOW_BROKEN_USAGE}`,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['json', 'allow-broken']);
    const review = await openReview(onePositional(positional), { allowBroken: flags.has('allow-broken') });
    const conflicts = review.conflicts();
    if (flags.has('json')) {
      const list = conflicts.map((conflict) => ({
        record: conflict.record,
        stage: conflict.stage,
        kind: conflict.kind,
        title: review.record(conflict.record)?.title ?? null,
        decisions: conflict.decisions.map(({ reviewer, verdict, reason, note, time }) => ({ reviewer: review.reviewerName(reviewer), verdict, reason, note, time })),
      }));
      process.stdout.write(`${JSON.stringify({ unresolved: list.length, conflicts: list }, null, 2)}\n`);
    } else if (conflicts.length === 0) {
      process.stdout.write('No unresolved conflicts.\n');
    } else {
      for (const conflict of conflicts) {
        const verdicts = conflict.decisions
          .map((decision) => `${review.reviewerName(decision.reviewer)}: ${decision.verdict}${decision.reason ? ` (${decision.reason})` : ''}${decision.note ? ` [${decision.note.replace(/\s+/g, ' ')}]` : ''}`)
          .join('; ');
        const title = review.record(conflict.record)?.title ?? '';
        process.stdout.write(`${conflict.record}\t${conflict.stage}\t${verdicts}\t${title}\n`);
      }
      process.stdout.write(`${conflicts.length} unresolved ${conflicts.length === 1 ? 'conflict' : 'conflicts'}.\n`);
    }
    return conflicts.length > 0 ? 1 : 0;
  },
};
