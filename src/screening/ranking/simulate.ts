/**
 * Simulated screening on a fully labelled dataset, as ASReview's simulation mode does it: start from
 * prior knowledge (one random include and one random exclude), then repeatedly train on every label so
 * far, screen the unlabelled record(s) the model ranks highest (maximum-relevance querying) and reveal
 * their true labels, until every include has been found (the order after the last include does not
 * change any metric). Metrics leave the prior-knowledge records out of N and of the includes.
 *
 * Retraining: after every screened record (`batch` 1, ASReview's behaviour) or after every `batch`
 * records.
 */
import type { BibRecord } from '../record';
import { RankingEngine, type ModelOptions, type RankableRecord } from './engine';
import { screeningMetrics, type ScreeningMetrics } from './metrics';
import type { UnscorablePlacement } from './placement';
import { seededRandom } from './random';
import { stoppingPoint, type StoppingPoint } from './stopping';

export interface LabeledDocument extends Omit<RankableRecord, 'id'> {
  included: boolean;
}

export interface SimulationOptions {
  /** Seed of the prior-knowledge draw, the random-order baseline and the SVM's sample order. */
  seed: number;
  /** Records screened between retrains (default 1: retrain after every record). */
  batch?: number;
  priorIncludes?: number;
  priorExcludes?: number;
  /** Called after each retrain with the wall time of training + scoring + picking, in ms. */
  onStep?: (ms: number, screened: number) => void;
}

export interface SimulationRun {
  seed: number;
  /** Indices (into the documents) of the prior-knowledge records. */
  priors: number[];
  /** Indices screened after the priors, in order, up to the last include. */
  order: number[];
  metrics: ScreeningMetrics;
  /** The same metrics for a random order of the same records (same priors left out). */
  random: ScreeningMetrics;
  retrains: number;
  /**
   * Where the stopping aid's criterion (95 % recall, 95 % confidence) would first have said stop, in
   * records screened counting the priors (out of all the documents), with the recall reached then.
   */
  stopping: StoppingPoint;
  /** Mean and longest time per retrain step (train + score + pick), ms. */
  meanStepMs: number;
  maxStepMs: number;
  batch: number;
}

/**
 * The retraining rule of the benchmark and the CLI: after every record up to 5,000 records (ASReview's
 * behaviour), after every ⌈N / 5,000⌉ records above (so a simulation makes at most about 5,000 retrains).
 */
export function defaultBatch(records: number): number {
  return records <= 5000 ? 1 : Math.ceil(records / 5000);
}

/**
 * Labelled documents from imported records: every record whose `column` (kept in metadata by the CSV
 * importer) is 0 or 1, in file order. Pass duplicates too (importFiles puts them apart): benchmark
 * datasets are simulated as published, every row a record.
 */
export function labeledDocuments(records: readonly BibRecord[], column = 'label_included'): LabeledDocument[] {
  return [...records]
    .sort((a, b) => a.provenance.file.localeCompare(b.provenance.file) || a.provenance.index - b.provenance.index)
    .filter((record) => {
      const value = record.metadata?.[column]?.trim();
      return value === '0' || value === '1';
    })
    .map((record) => ({ title: record.title, abstract: record.abstract, keywords: record.keywords, authors: record.authors, included: record.metadata?.[column]?.trim() === '1' }));
}

/** Documents turned into features once; run() simulates from them with any seed. */
export class Simulation {
  readonly documents: readonly LabeledDocument[];
  private readonly modelOptions: ModelOptions;
  private readonly template: RankingEngine;

  constructor(documents: readonly LabeledDocument[], modelOptions: ModelOptions = {}) {
    this.documents = documents;
    this.modelOptions = modelOptions;
    this.template = new RankingEngine(modelOptions);
    this.template.add(documents.map((doc, i) => ({ id: String(i), title: doc.title, abstract: doc.abstract, keywords: doc.keywords, authors: doc.authors })));
    this.template.features.prepare();
  }

  get includes(): number {
    return this.documents.filter((d) => d.included).length;
  }

  run(options: SimulationOptions): SimulationRun {
    const docs = this.documents;
    const n = docs.length;
    const random = seededRandom(options.seed);
    const includeRows: number[] = [];
    const excludeRows: number[] = [];
    for (let i = 0; i < n; i++) (docs[i].included ? includeRows : excludeRows).push(i);
    const priorIncludes = options.priorIncludes ?? 1;
    const priorExcludes = options.priorExcludes ?? 1;
    if (includeRows.length < priorIncludes || excludeRows.length < priorExcludes) throw new Error('not enough includes or excludes for the prior knowledge');
    const priors = [...sample(includeRows, priorIncludes, random), ...sample(excludeRows, priorExcludes, random)];

    // The same features for every run; the model state (warm start, sample order) is per run.
    const engine = this.template;
    engine.reset(options.seed);
    const labelled = new Map<number, boolean>();
    let includes = 0;
    for (const row of priors) {
      labelled.set(row, docs[row].included);
      if (docs[row].included) includes++;
    }
    const totalIncludes = includeRows.length;
    const isUnlabelled = new Uint8Array(n).fill(1);
    for (const row of priors) isUnlabelled[row] = 0;
    const order: number[] = [];
    /** Labels in the order they were made (priors first), for the placement of unreadable records. */
    const history = priors.map((row) => (docs[row].included ? 1 : 0));
    const batch = Math.max(1, Math.floor(options.batch ?? 1));
    let retrains = 0;
    let stepTotal = 0;
    let stepMax = 0;
    while (includes < totalIncludes && order.length < n - priors.length) {
      const started = performance.now();
      engine.fit(labelled, includes, labelled.size - includes);
      const scores = engine.scoreRows();
      const placement = engine.unscorablePlacement(history);
      const picked = topUnlabelled(scores, isUnlabelled, batch, placement === 'model' ? undefined : { rowScale: engine.features.rowScale, placement });
      const ms = performance.now() - started;
      retrains++;
      stepTotal += ms;
      if (ms > stepMax) stepMax = ms;
      options.onStep?.(ms, order.length);
      for (const row of picked) {
        isUnlabelled[row] = 0;
        labelled.set(row, docs[row].included);
        history.push(docs[row].included ? 1 : 0);
        order.push(row);
        if (docs[row].included) {
          includes++;
          if (includes === totalIncludes) break;
        }
      }
    }
    const total = n - priors.length;
    const metrics = screeningMetrics(
      order.map((row) => (docs[row].included ? 1 : 0)),
      total,
    );

    // Random order of the same non-prior records.
    const rest: number[] = [];
    const priorSet = new Set(priors);
    for (let i = 0; i < n; i++) if (!priorSet.has(i)) rest.push(i);
    shuffle(rest, random);
    const randomMetrics = screeningMetrics(
      rest.map((row) => (docs[row].included ? 1 : 0)),
      total,
    );
    const screenedLabels = [...priors, ...order].map((row) => (docs[row].included ? 1 : 0));
    const stopping = stoppingPoint(screenedLabels, n, { every: Math.max(1, Math.ceil(n / 500)) });
    return { seed: options.seed, priors, order, metrics, random: randomMetrics, retrains, stopping, meanStepMs: retrains ? stepTotal / retrains : 0, maxStepMs: stepMax, batch };
  }

  get options(): ModelOptions {
    return this.modelOptions;
  }
}

/**
 * Up to `count` unlabelled rows with the highest scores (ties: lower row first); with `unscorable`, rows
 * the model cannot read (scale 0) come first or last, as in RankingEngine.trainRows.
 */
function topUnlabelled(scores: Float64Array, isUnlabelled: Uint8Array, count: number, unscorable?: { rowScale: Float32Array; placement: UnscorablePlacement }): number[] {
  const unscorableKey = unscorable?.placement === 'start' ? Infinity : -Infinity;
  const key = (row: number) => (unscorable && unscorable.rowScale[row] === 0 ? unscorableKey : scores[row]);
  if (count === 1) {
    let best = -1;
    let bestScore = -Infinity;
    for (let row = 0; row < isUnlabelled.length; row++) {
      if (isUnlabelled[row] === 1 && (best < 0 || key(row) > bestScore)) {
        best = row;
        bestScore = key(row);
      }
    }
    return best < 0 ? [] : [best];
  }
  const rows: number[] = [];
  for (let row = 0; row < isUnlabelled.length; row++) if (isUnlabelled[row] === 1) rows.push(row);
  rows.sort((a, b) => key(b) - key(a) || a - b);
  return rows.slice(0, count);
}

function sample(items: readonly number[], count: number, random: () => number): number[] {
  const copy = [...items];
  shuffle(copy, random);
  return copy.slice(0, count);
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}
