/**
 * Child process of the crash test: records decisions in a loop and prints `ack …` after each
 * durable write (and `begin …` before), until it is killed.
 * argv: DIR ITERATION
 */
import { Review } from '../../../../src/screening/review';
import { syntheticOutcome } from './synthetic';

async function main(): Promise<void> {
  const [dir, iteration] = process.argv.slice(2);
  const ids = Array.from({ length: 5000 }, (_, i) => `it${iteration}-${i}`);
  const review = await Review.load(dir, {
    reviewer: 'crash@x.org',
    outcome: syntheticOutcome(ids),
    git: async () => ({ code: 1, stdout: '', stderr: '' }),
  });
  process.stdout.write('ready\n');
  const verdicts = ['include', 'exclude', 'maybe'] as const;
  for (let i = 0; i < ids.length; i++) {
    // Every fifth decision changes an earlier one of this run.
    const record = i % 5 === 4 ? ids[i - 3] : ids[i];
    const verdict = verdicts[(i + (i % 5 === 4 ? 1 : 0)) % 3];
    process.stdout.write(`begin ${record} ${verdict}\n`);
    const decision = await review.decide(record, 'title-abstract', verdict);
    process.stdout.write(`ack ${record} ${verdict} ${decision.time}\n`);
  }
}

void main();
