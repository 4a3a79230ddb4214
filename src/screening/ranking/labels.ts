/** Turning one reviewer's decisions into training labels for RankingService.train. */
import { compareTimes, type Decision } from '../decision';
import type { RankingLabel } from './engine';

/**
 * The title/abstract labels of ONE reviewer, oldest decision first: include → included, exclude →
 * not included; maybe (and undecided records) are left out, so the model treats them as unlabelled.
 * Full-text decisions are ignored. Pass `review.decisions(reviewerKey)` for the reviewer whose ranking
 * it is — never the decisions of others (blind dual screening: each reviewer's ranking learns only
 * from their own decisions).
 */
export function labelsFromDecisions(decisions: readonly Decision[]): RankingLabel[] {
  return decisions
    .filter((d) => d.stage === 'title-abstract' && (d.verdict === 'include' || d.verdict === 'exclude'))
    .map((d, index) => ({ d, index }))
    .sort((a, b) => compareTimes(a.d.time, b.d.time) || a.index - b.index)
    .map(({ d }) => ({ id: d.record, included: d.verdict === 'include' }));
}
