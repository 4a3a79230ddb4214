/**
 * Screening prioritisation: learn from one reviewer's title/abstract decisions and list the unscreened
 * records most likely to be included first, plus a stopping aid. No `vscode` import; the model trains
 * in a worker thread.
 *
 * ## Using it from the workbench
 *
 * ```ts
 * import { createRankingService, labelsFromDecisions, describeStopping } from '../screening/ranking';
 *
 * const ranking = createRankingService();            // worker-backed (dist/workers/ranking-worker.js)
 * await ranking.setRecords(review.records);          // once, then again whenever the records change:
 *                                                    // only new/changed records are tokenised
 * const outcome = await ranking.train(labelsFromDecisions(review.decisions(review.reviewerKey)));
 * if (!outcome.cancelled) {
 *   outcome.ids;        // unlabelled record ids, most likely include first ("Unscreened" in this order)
 *   outcome.scores;     // SVM decision value per id (same order); > 0 leans include
 *   outcome.model;      // 'none' until the labels hold an include AND an exclude: ids are then in
 *                       // original order (the order given to setRecords; later additions at the end)
 *   describeStopping(outcome.stopping);   // text for the reviewer (see "Stopping aid" below)
 * }
 * ranking.relevance(id);  // { rank, of, score, model, scorable } from the latest ranking, for the reader;
 *                         // undefined for labelled or unknown records or before the first ranking
 * ranking.current;        // the latest ranking
 * await ranking.dispose();
 * ```
 *
 * - **When to train**: after each decision (or a few), on `review.onDidChange`. Calls may overlap: a
 *   newer `train()` makes every earlier pending one resolve `{ cancelled: true }` at once, and the worker
 *   abandons the superseded training between epochs — so calling it on every decision is fine; only
 *   the newest result arrives. Record changes (`setRecords`) and trainings are applied in call order.
 * - **Labels**: `{ id, included }[]`, in the order the decisions were made (the stopping aid reads that
 *   order); a later label of the same id wins. include → true, exclude → false; maybe, not decided and
 *   full-text decisions are NOT labels (the record stays unlabelled and is ranked). `labelsFromDecisions`
 *   does exactly this from a reviewer's Decision list.
 * - **Blind dual screening**: each reviewer's ranking must learn from that reviewer's decisions only.
 *   Pass `review.decisions(reviewerKey)` of the reviewer whose ranking it is (normally the current
 *   user's `review.reviewerKey`), never merged decisions, resolutions or another reviewer's; use one
 *   RankingService per reviewer if several are shown.
 * - **Unscorable records**: records without any title/abstract/keyword term the model knows
 *   (`outcome.unscorable` of them, `relevance().scorable === false`) are not ranked: they are listed
 *   last while the recent decisions still find includes, and first once they stop doing so
 *   (`outcome.unscorableAt`; ./placement.ts), so they are neither buried nor in the way.
 * - **Costs** (bench:ranking, 50,000 records, 2 shared cores): features are extracted once, in the
 *   worker (≈ 10–17 s for 50,000 records; rankings wait for it); the worker then holds ≈ 8 bytes per
 *   (record, distinct term) entry, ≈ 160 MB for 50,000 records. A retrain + re-rank after one more
 *   decision takes ≈ 0.2–0.4 s in the worker (100 to 20,000 labels); the first training after loading
 *   a review with many decisions is slower (≈ 2.7 s with 20,000). The extension host's own steps stay
 *   under ≈ 30 ms (ids are mapped on the calling thread once per ranking).
 *
 * ## The model (./features.ts, ./svm.ts, ./engine.ts)
 *
 * TF-IDF over title, abstract and keywords — words and bigrams (search tokeniser: lower case, accents
 * folded; one-letter tokens dropped, stop words kept as scikit-learn does by default), sublinear tf, smooth
 * idf, l2-normalised, vocabulary bounded by document frequency (df ≥ 2 once there are 50 records, and
 * ≤ 95 % of the records). Features are extracted once per record (incrementally for new ones) and
 * reused by every retrain. Classifier: L2-regularised squared-hinge linear SVM (C = 0.11, as ASReview's
 * ELAS u4), trained by dual coordinate descent with shrinking (LIBLINEAR's algorithm, tolerance 0.1),
 * warm-started from the previous training, with class balancing (the includes weigh as much as the
 * excludes in total, scikit-learn's class_weight='balanced'). Querying is maximum relevance. A
 * multinomial naive Bayes (`{ classifier: 'nb' }`) is there for comparison only.
 *
 * ## Stopping aid (./stopping.ts)
 *
 * `outcome.stopping`: records screened since the last include, and the hypergeometric test of
 * Callaghan & Müller-Hansen (2020) — a p-value for "recall is still below 95 %" and the highest recall
 * it supports at 95 % confidence. `describeStopping()` words it as an estimate under stated assumptions,
 * never a guarantee or an instruction; nothing is ever stopped automatically. Replayed along simulated
 * orders it is cautious: it first supports 95 % recall after 74–99 % of the records, by which time
 * ≥ 96 % of the includes had been found in every run (bench:ranking).
 *
 * ## Evaluation (./simulate.ts, ./metrics.ts)
 *
 * `Simulation` replays screening on a labelled dataset (ASReview's simulation: one random include and
 * one random exclude as prior knowledge, retrain, screen the top record, repeat) and reports WSS@95,
 * RRF@10 and ATD; `sr-screening simulate FILE` and `npm run bench:ranking` use it.
 */
export {
  RankingCancelled,
  RankingEngine,
  type ModelOptions,
  type RankableRecord,
  type RankingLabel,
  type RowRanking,
  type UntrainedReason,
} from './engine';
export { FeatureStore, type FeatureOptions, type FeatureText, type SparseRows } from './features';
export { labelsFromDecisions } from './labels';
export { atd, recordsToRecall, rrf, screeningMetrics, wss, type ScreeningMetrics } from './metrics';
export {
  createRankingService,
  defaultRankingWorkerPath,
  InThreadRankingService,
  WorkerRankingService,
  type Ranking,
  type RankingOutcome,
  type RankingService,
  type RankingServiceOptions,
  type Relevance,
  type StepTimes,
} from './service';
export { defaultBatch, labeledDocuments, Simulation, type LabeledDocument, type SimulationOptions, type SimulationRun } from './simulate';
export { describeStopping, estimateStopping, hypergeometricCdf, stoppingPoint, stoppingPValue, type StoppingEstimate, type StoppingOptions, type StoppingPoint } from './stopping';
export { balancedWeights, trainSvm, type SvmModel, type SvmOptions, type SvmSample } from './svm';
export type { RankingStats } from './protocol';
