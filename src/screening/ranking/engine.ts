/**
 * The model behind screening prioritisation, synchronous and pure (no threads, no VS Code): records
 * become TF-IDF rows once (FeatureStore), and each training fits a class-balanced linear SVM on the
 * labelled rows (warm-started from the previous fit) and scores every unlabelled row. RankingService
 * runs it in a worker; the simulation and the CLI call it directly.
 */
import { FeatureStore, type FeatureOptions } from './features';
import { seededRandom } from './random';
import { unscorablePlacement, type UnscorablePlacement } from './placement';
import { estimateStopping, type StoppingEstimate, type StoppingOptions } from './stopping';
import { trainLogistic } from './logistic';
import { addRow, balancedWeights, trainSvm, type SvmSample, type SvmWarmStart } from './svm';

/** The fields of a record the model reads (a BibRecord has them all). */
export interface RankableRecord {
  id: string;
  title: string;
  abstract?: string;
  keywords?: readonly string[];
  /** Read only with ModelOptions.authors (simulations; the worker protocol does not carry authors yet). */
  authors?: readonly string[];
}

/** One title/abstract decision: include = true, exclude = false. Maybe and undecided records are left out (unlabelled). */
export interface RankingLabel {
  id: string;
  included: boolean;
}

export interface ModelOptions extends FeatureOptions {
  /** SVM regularisation C (default 0.11, as ASReview's ELAS u4). */
  c?: number;
  /**
   * Class balance: the includes together weigh `balanceRatio` times the excludes (default 1: equal
   * totals). ASReview's ELAS u4 uses 9.8; in bench:ranking it ties with 1 on WSS@95 (39.6 vs 39.3 %)
   * and doubles the 20,000-label training step (the includes' larger C_i need more epochs).
   */
  balanceRatio?: number;
  /** Dual coordinate descent stopping tolerance (default 0.1). */
  tolerance?: number;
  /** Epoch limit per training (default 100). */
  maxEpochs?: number;
  /** Seed of the sample order in training (default 1). */
  seed?: number;
  /** Classifier (default 'svm'); 'logistic' is L2 logistic regression, 'nb' multinomial naive Bayes, for comparison. */
  classifier?: 'svm' | 'logistic' | 'nb';
  /**
   * Presumed excludes (Cormack & Grossman's BMI): this many unlabelled records, drawn at random afresh
   * for each training, join the training set as excludes (default 0).
   */
  presumedExcludes?: number;
  /** Naive Bayes smoothing (default 3.822, ASReview's). */
  nbAlpha?: number;
  /** Reuse the previous training's dual variables (default true). */
  warmStart?: boolean;
  /**
   * Where records without any text the model can read (no title, abstract or keyword term in the
   * vocabulary) go: 'adaptive' (default: at the end while the recent labels still hold includes, then
   * first; ./placement.ts), 'first' (always first), or 'model' (wherever their score, the bare
   * intercept, puts them).
   */
  unscorable?: 'adaptive' | 'first' | 'model';
}

export type UntrainedReason = 'no-include' | 'no-exclude';

/** Rows of unlabelled records, best first, with their scores. */
export interface RowRanking {
  /** 'svm' when a model ranked the rows; 'none' before there is at least one include and one exclude (rows in original order). */
  model: 'svm' | 'none';
  reason?: UntrainedReason;
  /** Unlabelled live rows, most likely include first (original order when model is 'none'). */
  order: Int32Array;
  /** The SVM decision value of each row of `order` (0 when model is 'none'): above 0 leans include. */
  scores: Float64Array;
  /** How many rows of `order`, at its start or end (`unscorableAt`), have no text the model can read (see ModelOptions.unscorable). */
  unscorable: number;
  unscorableAt: UnscorablePlacement;
  /** The stopping aid for these labels (see stopping()). */
  stopping: StoppingEstimate;
  includes: number;
  excludes: number;
  epochs: number;
  trainMs: number;
  rankMs: number;
}

export class RankingCancelled extends Error {
  constructor() {
    super('ranking superseded');
  }
}

export class RankingEngine {
  readonly features: FeatureStore;
  private readonly options: ModelOptions;
  private readonly rowIds: (string | undefined)[] = [];
  private readonly idToRow = new Map<string, number>();
  /** Dual variable and label (±1, 0 = not in the fit) of each row in the last fit: the warm start. */
  private alphaByRow = new Float64Array(1024);
  private yByRow = new Int8Array(1024);
  private fittedRows: number[] = [];
  private fittedVersion = -1;
  /** Whether the last fit ran to the end (a cancelled fit's w is only a warm start). */
  private modelReady = false;
  private random: () => number;
  /** The last model (for scoring single rows). */
  private w: Float64Array | undefined;
  private b = 0;

  constructor(options: ModelOptions = {}) {
    this.options = options;
    this.features = new FeatureStore(options);
    this.random = seededRandom(options.seed ?? 1);
  }

  get size(): number {
    return this.idToRow.size;
  }

  rowOf(id: string): number | undefined {
    return this.idToRow.get(id);
  }

  idOf(row: number): string | undefined {
    return this.rowIds[row];
  }

  /** Adds records (a record whose id is known replaces it: its old row is removed). Returns their rows. */
  add(records: readonly RankableRecord[]): number[] {
    const rows: number[] = [];
    for (const record of records) {
      const old = this.idToRow.get(record.id);
      if (old !== undefined) this.removeRow(old);
      const row = this.features.add(record);
      this.rowIds[row] = record.id;
      this.idToRow.set(record.id, row);
      rows.push(row);
    }
    return rows;
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const row = this.idToRow.get(id);
      if (row !== undefined) this.removeRow(row);
    }
  }

  private removeRow(row: number): void {
    const id = this.rowIds[row];
    if (id !== undefined) this.idToRow.delete(id);
    this.rowIds[row] = undefined;
    this.features.remove(row);

  }

  /** Trains on labels given by id (unknown ids are ignored; a later label of the same id wins). */
  train(labels: readonly RankingLabel[], shouldCancel?: () => boolean): RowRanking {
    const rows: number[] = [];
    const included: boolean[] = [];
    for (const label of labels) {
      const row = this.idToRow.get(label.id);
      if (row === undefined) continue;
      rows.push(row);
      included.push(label.included);
    }
    return this.trainRows(rows, included, shouldCancel);
  }

  /**
   * Trains on labelled rows and ranks the unlabelled live rows. Throws RankingCancelled when
   * `shouldCancel` turns true (polled between training epochs and while scoring).
   */
  trainRows(rows: ArrayLike<number>, included: ArrayLike<boolean | number>, shouldCancel?: () => boolean): RowRanking {
    const started = performance.now();
    const labelled = new Map<number, boolean>();
    for (let i = 0; i < rows.length; i++) if (this.features.isLive(rows[i])) labelled.set(rows[i], Boolean(included[i]));
    let includes = 0;
    for (const value of labelled.values()) if (value) includes++;
    const excludes = labelled.size - includes;
    const history = this.labelHistory(rows, included);
    const unlabelled: number[] = [];
    for (let row = 0; row < this.features.rows; row++) if (this.features.isLive(row) && !labelled.has(row)) unlabelled.push(row);

    if (includes === 0 || excludes === 0) {
      this.modelReady = false;
      return {
        model: 'none',
        reason: includes === 0 ? 'no-include' : 'no-exclude',
        order: Int32Array.from(unlabelled),
        scores: new Float64Array(unlabelled.length),
        unscorable: 0,
        unscorableAt: 'end',
        stopping: estimateStopping(history, this.size),
        includes,
        excludes,
        epochs: 0,
        trainMs: performance.now() - started,
        rankMs: 0,
      };
    }

    const fit = this.fit(labelled, includes, excludes, shouldCancel);
    if (fit.cancelled) throw new RankingCancelled();
    const trained = performance.now();
    const scores = this.scoreRows(shouldCancel);
    const order = Int32Array.from(unlabelled);
    let unscorable = 0;
    const placement = this.unscorablePlacement(history);
    if (placement !== 'model') {
      const scale = this.features.rowScale;
      for (const row of unlabelled) if (scale[row] === 0) unscorable++;
      const unscorableKey = placement === 'start' ? 0 : 2;
      const key = (row: number) => (scale[row] === 0 ? unscorableKey : 1);
      order.sort((a, b) => key(a) - key(b) || scores[b] - scores[a] || a - b);
    } else {
      order.sort((a, b) => scores[b] - scores[a] || a - b);
    }
    const ordered = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) ordered[i] = scores[order[i]];
    const unscorableAt = placement === 'start' ? 'start' : 'end';
    const stopping = estimateStopping(history, this.size);
    return { model: 'svm', order, scores: ordered, unscorable, unscorableAt, stopping, includes, excludes, epochs: fit.epochs, trainMs: trained - started, rankMs: performance.now() - trained };
  }

  /** Fits the SVM on labelled rows (row → included); keeps the model for scoreRows/score. */
  fit(labelled: ReadonlyMap<number, boolean>, includes: number, excludes: number, shouldCancel?: () => boolean): { epochs: number; cancelled: boolean } {
    const features = this.features;
    features.prepare();
    const presumed = this.options.presumedExcludes ?? 0;
    if (presumed > 0) {
      labelled = this.withPresumedExcludes(labelled, presumed);
      excludes = labelled.size - includes;
    }
    const weights = balancedWeights(includes, excludes, this.options.balanceRatio ?? 1);
    if (this.options.classifier === 'nb') return this.fitNaiveBayes(labelled, weights);
    const samples: SvmSample[] = [];
    for (const [row, inc] of labelled) samples.push({ row, y: inc ? 1 : -1, weight: inc ? weights.include : weights.exclude });
    if (this.alphaByRow.length < features.rows) {
      const size = Math.max(features.rows, this.alphaByRow.length * 2);
      const alpha = new Float64Array(size);
      alpha.set(this.alphaByRow);
      this.alphaByRow = alpha;
      const y = new Int8Array(size);
      y.set(this.yByRow);
      this.yByRow = y;
    }
    const warmStart = this.options.warmStart !== false;
    let warm: SvmWarmStart | undefined;
    if (warmStart) {
      // Keep the previous w when the features are unchanged: take out the rows that lost or changed their label.
      const reuse = this.w !== undefined && this.fittedVersion === features.version;
      let b = this.b;
      for (const row of this.fittedRows) {
        const a = this.alphaByRow[row];
        const label = labelled.get(row);
        const y = label === undefined ? 0 : label ? 1 : -1;
        if (y === this.yByRow[row]) continue;
        if (reuse && a > 0) {
          addRow(features, row, -a * this.yByRow[row], this.w!);
          b -= a * this.yByRow[row];
        }
        this.alphaByRow[row] = 0;
      }
      warm = { alpha: Float64Array.from(samples, (sample) => this.alphaByRow[sample.row]) };
      if (reuse) {
        warm.w = this.w;
        warm.b = b;
      }
    }
    const train = this.options.classifier === 'logistic' ? trainLogistic : trainSvm;
    const model = train(features, samples, { c: this.options.c, tolerance: this.options.tolerance, maxEpochs: this.options.maxEpochs, random: this.random, shouldCancel }, warm);
    // A cancelled fit still leaves a consistent (w, α) pair: keep it as the next warm start.
    for (const row of this.fittedRows) {
      this.alphaByRow[row] = 0;
      this.yByRow[row] = 0;
    }
    this.fittedRows = samples.map((sample) => sample.row);
    for (let i = 0; i < samples.length; i++) {
      this.alphaByRow[samples[i].row] = model.alpha[i];
      this.yByRow[samples[i].row] = samples[i].y;
    }
    this.w = model.w;
    this.b = model.b;
    this.fittedVersion = features.version;
    this.modelReady = !model.cancelled;
    return { epochs: model.epochs, cancelled: model.cancelled };
  }

  /** The labels plus `count` random unlabelled live rows as excludes (all of them when fewer). */
  private withPresumedExcludes(labelled: ReadonlyMap<number, boolean>, count: number): Map<number, boolean> {
    const out = new Map(labelled);
    const pool: number[] = [];
    for (let row = 0; row < this.features.rows; row++) if (this.features.isLive(row) && !labelled.has(row)) pool.push(row);
    for (let i = 0; i < Math.min(count, pool.length); i++) {
      const j = i + Math.floor(this.random() * (pool.length - i));
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
      out.set(pool[i], false);
    }
    return out;
  }

  /**
   * Multinomial naive Bayes on the tf-idf values (ASReview's former default classifier, alpha 3.822),
   * class weights applied to the counts: w_f = ln θ_include,f − ln θ_exclude,f, b = ln(W_include / W_exclude).
   */
  private fitNaiveBayes(labelled: ReadonlyMap<number, boolean>, weights: { include: number; exclude: number }): { epochs: number; cancelled: boolean } {
    const features = this.features;
    const { rowStart, rowEnd, index, value, colScale, rowScale } = features;
    const columns = features.columns;
    const sums = [new Float64Array(columns), new Float64Array(columns)];
    const totals = [0, 0];
    const classWeight = [0, 0];
    for (const [row, inc] of labelled) {
      const c = inc ? 1 : 0;
      const weight = inc ? weights.include : weights.exclude;
      classWeight[c] += weight;
      const scale = rowScale[row] * weight;
      for (let k = rowStart[row]; k < rowEnd[row]; k++) {
        const x = value[k] * colScale[index[k]] * scale;
        sums[c][index[k]] += x;
        totals[c] += x;
      }
    }
    const alpha = this.options.nbAlpha ?? 3.822;
    const vocabulary = features.vocabularySize;
    const w = new Float64Array(columns);
    const denominator1 = Math.log(totals[1] + alpha * vocabulary);
    const denominator0 = Math.log(totals[0] + alpha * vocabulary);
    for (let f = 0; f < columns; f++) {
      if (colScale[f] === 0) continue;
      w[f] = Math.log(sums[1][f] + alpha) - denominator1 - (Math.log(sums[0][f] + alpha) - denominator0);
    }
    this.w = w;
    this.b = Math.log(classWeight[1] / classWeight[0]);
    this.fittedVersion = -1;
    this.modelReady = true;
    return { epochs: 1, cancelled: false };
  }

  /** Decision values of every row under the last fitted model (0 for removed rows), indexed by row. */
  scoreRows(shouldCancel?: () => boolean): Float64Array {
    const features = this.features;
    const scores = new Float64Array(features.rows);
    const w = this.w;
    if (!w || !this.modelReady) return scores;
    features.prepare();
    const { rowStart, rowEnd, index, value, colScale, rowScale } = features;
    // Features first seen after the fit have no weight.
    const v = new Float64Array(features.columns);
    for (let f = 0, n = Math.min(w.length, v.length); f < n; f++) v[f] = w[f] * colScale[f];
    for (let row = 0; row < features.rows; row++) {
      if ((row & 4095) === 4095 && shouldCancel?.()) throw new RankingCancelled();
      if (!features.isLive(row)) continue;
      let sum = 0;
      for (let k = rowStart[row], end = rowEnd[row]; k < end; k++) sum += value[k] * v[index[k]];
      scores[row] = sum * rowScale[row] + this.b;
    }
    return scores;
  }

  /** Forgets the fitted model and the warm start (the features stay); the sample order restarts from `seed`. */
  reset(seed = this.options.seed ?? 1): void {
    this.w = undefined;
    this.b = 0;
    this.modelReady = false;
    for (const row of this.fittedRows) {
      this.alphaByRow[row] = 0;
      this.yByRow[row] = 0;
    }
    this.fittedRows = [];
    this.random = seededRandom(seed);
  }

  /**
   * The stopping aid for labels given as rows in decision order: each labelled live record counts
   * once, at the place of its latest label; N is the number of live records.
   */
  stopping(rows: ArrayLike<number>, included: ArrayLike<boolean | number>, options?: StoppingOptions): StoppingEstimate {
    return estimateStopping(this.labelHistory(rows, included), this.size, options);
  }

  /** Labels (1 include, 0 exclude) of the labelled live rows, each at the place of its latest label, in decision order. */
  private labelHistory(rows: ArrayLike<number>, included: ArrayLike<boolean | number>): number[] {
    const lastIndex = new Map<number, number>();
    for (let i = 0; i < rows.length; i++) if (this.features.isLive(rows[i])) lastIndex.set(rows[i], i);
    return [...lastIndex.values()].sort((a, b) => a - b).map((i) => (included[i] ? 1 : 0));
  }

  /** Where rows without readable text go (ModelOptions.unscorable), given the labels in decision order. */
  unscorablePlacement(history: ArrayLike<boolean | number>): UnscorablePlacement | 'model' {
    const policy = this.options.unscorable ?? 'adaptive';
    if (policy === 'model') return 'model';
    return policy === 'first' ? 'start' : unscorablePlacement(history, this.size);
  }

  /** Whether the model can read anything in a row (after features.prepare()). */
  scorable(row: number): boolean {
    return this.features.rowScale[row] > 0;
  }

  get trained(): boolean {
    return this.modelReady;
  }
}
