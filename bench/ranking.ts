/**
 * `npm run bench:ranking`: screening prioritisation.
 *
 * 1. Simulation on every labeled dataset in ../shared/corpus/labeled (title, abstract, label_included):
 *    prior knowledge of one random include and one random exclude, then maximum-relevance screening with
 *    the default model (src/screening/ranking), several seeds per dataset. Retraining rule: after every
 *    screened record for datasets up to 5,000 records (ASReview's behaviour; all the bundled datasets),
 *    after every ⌈N / 5,000⌉ records above that (--batch N forces a batch size). Reports WSS@95, RRF@10 and
 *    ATD per dataset (mean over seeds) next to a random order of the same records with the same priors,
 *    and their means over the datasets. Prior-knowledge records are left out of every count.
 * 2. Scale: 50,000 records recombined from the real titles and abstracts (synthesiseRecords): feature
 *    extraction, then training + re-ranking per step at several label counts, in-process; then the
 *    extension's path (WorkerRankingService): main-thread step times and event-loop lag while the records
 *    load and while training, and the round trip of a train() call.
 *
 * Options: --seeds N (default 3), --batch N, --only SUBSTRING, --skip-sim, --skip-scale, --records N (scale
 * part, default 50,000), --json FILE (also write the figures as JSON), --model JSON (model options other than
 * the defaults, for comparisons), --label COLUMN (the labels' column, default label_included; e.g.
 * label_abstract_screening, the Cohen sets' title/abstract-stage decisions; files without it are skipped),
 * --reference [MODELS] (also simulate ASReview's models re-created in scikit-learn, bench/reference.py, from
 * the same priors and print them side by side; MODELS: u4, u4r1, nb, default u4,nb; needs python3-sklearn).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { LABELED_DIR, synthesiseRecords } from './lib/corpus-records';
import { importFiles } from '../src/screening/import-records';
import { RankingEngine, type ModelOptions, type RankableRecord, type RankingLabel } from '../src/screening/ranking/engine';
import { defaultBatch, labeledDocuments, Simulation, type LabeledDocument, type SimulationRun } from '../src/screening/ranking/simulate';
import { WorkerRankingService } from '../src/screening/ranking/service';
import { seededRandom } from '../src/screening/ranking/random';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const seeds = Number(option('seeds') ?? 3);
const forcedBatch = option('batch') === undefined ? undefined : Number(option('batch'));
const only = option('only');
const scaleRecords = Number(option('records') ?? 50_000);
const jsonFile = option('json');
const labelColumn = option('label') ?? 'label_included';
/** --reference [MODELS]: also run bench/reference.py (scikit-learn) from the same priors; MODELS as there, default u4,nb. */
const referenceValue = option('reference');
const referenceModels = args.includes('--reference') ? (referenceValue && !referenceValue.startsWith('--') ? referenceValue : 'u4,nb').split(',') : undefined;
/** Model options other than the defaults, as JSON (for comparisons), e.g. --model '{"balanceRatio":1}' or '{"classifier":"logistic","c":1}'. */
const modelOptions: ModelOptions = JSON.parse(option('model') ?? '{}');

const pct = (x: number) => (Number.isNaN(x) ? '  n/a' : `${(x * 100).toFixed(1).padStart(5)}`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
};

function batchFor(records: number): number {
  return forcedBatch ?? defaultBatch(records);
}

function readLabeledFile(path: string): LabeledDocument[] {
  const outcome = importFiles([{ file: basename(path), bytes: readFileSync(path) }]);
  return labeledDocuments([...outcome.records, ...outcome.duplicates], labelColumn);
}

function stopAt(runs: DatasetFigures['runs']): string {
  const stops = runs.map((r) => r.stopping).filter((s) => s.screened !== undefined);
  if (stops.length === 0) return `${'—'.padStart(8)} ${'—'.padStart(6)}`;
  const n = runs[0].metrics.records + 2;
  return `${pct(mean(stops.map((s) => s.screened! / n))).padStart(8)} ${pct(mean(stops.map((s) => s.recall!))).padStart(6)}${stops.length < runs.length ? '*' : ''}`;
}

interface DatasetFigures {
  dataset: string;
  records: number;
  includes: number;
  batch: number;
  featureMs: number;
  runs: Pick<SimulationRun, 'seed' | 'priors' | 'metrics' | 'random' | 'retrains' | 'meanStepMs' | 'maxStepMs' | 'stopping'>[];
  seconds: number;
  /** For the reference run: the CSV file and its labels in row order. */
  file: string;
  included: number[];
}

function simulateAll(): DatasetFigures[] {
  const files = readdirSync(LABELED_DIR)
    .filter((name) => name.endsWith('.csv') && (!only || name.includes(only)))
    .sort();
  const figures: DatasetFigures[] = [];
  console.log(`\n## Simulation: ${files.length} datasets, ${seeds} seeds each (labels: ${labelColumn}; prior: 1 random include + 1 random exclude)\n`);
  console.log(
    `${'dataset'.padEnd(26)} ${'N'.padStart(5)} ${'incl'.padStart(4)} batch | ${'WSS@95'.padStart(6)} ${'±sd'.padStart(5)} ${'RRF@10'.padStart(6)} ${'ATD'.padStart(5)} | random: ${'WSS'.padStart(5)} ${'RRF'.padStart(5)} ${'ATD'.padStart(5)} | stop: at  recall | retrains  ms/step  max  s`,
  );
  for (const file of files) {
    const started = performance.now();
    const docs = readLabeledFile(join(LABELED_DIR, file));
    const includes = docs.filter((d) => d.included).length;
    if (includes === 0 || includes === docs.length) {
      console.log(`${file}: skipped, no ${labelColumn} column with both includes and excludes`);
      continue;
    }
    const t0 = performance.now();
    const simulation = new Simulation(docs, modelOptions);
    const featureMs = performance.now() - t0;
    const batch = batchFor(docs.length);
    const runs: DatasetFigures['runs'] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const run = simulation.run({ seed, batch });
      runs.push({ seed, priors: run.priors, metrics: run.metrics, random: run.random, retrains: run.retrains, meanStepMs: run.meanStepMs, maxStepMs: run.maxStepMs, stopping: run.stopping });
    }
    const dataset = file.replace(/\.csv$/, '').replace(/^.*__/, '');
    const seconds = (performance.now() - started) / 1000;
    figures.push({ dataset, records: docs.length, includes, batch, featureMs, runs, seconds, file, included: docs.map((d) => (d.included ? 1 : 0)) });
    const m = (pick: (r: DatasetFigures['runs'][number]) => number) => mean(runs.map(pick));
    console.log(
      `${dataset.padEnd(26)} ${String(docs.length).padStart(5)} ${String(includes).padStart(4)} ${String(batch).padStart(5)} | ${pct(m((r) => r.metrics.wss95))}  ${pct(sd(runs.map((r) => r.metrics.wss95)))} ${pct(m((r) => r.metrics.rrf10))}  ${pct(m((r) => r.metrics.atd))} |         ${pct(m((r) => r.random.wss95))} ${pct(m((r) => r.random.rrf10))} ${pct(m((r) => r.random.atd))} | ${stopAt(runs)} | ${String(Math.round(m((r) => r.retrains))).padStart(8)} ${m((r) => r.meanStepMs).toFixed(2).padStart(8)} ${Math.max(...runs.map((r) => r.maxStepMs)).toFixed(0).padStart(4)} ${seconds.toFixed(0).padStart(3)}`,
    );
  }
  const avg = (pick: (f: DatasetFigures) => number) => mean(figures.map(pick));
  const per = (pick: (r: DatasetFigures['runs'][number]) => number) => (f: DatasetFigures) => mean(f.runs.map(pick));
  console.log(
    `${'MEAN over datasets'.padEnd(43)} | ${pct(avg(per((r) => r.metrics.wss95)))}        ${pct(avg(per((r) => r.metrics.rrf10)))}  ${pct(avg(per((r) => r.metrics.atd)))} |         ${pct(avg(per((r) => r.random.wss95)))} ${pct(avg(per((r) => r.random.rrf10)))} ${pct(avg(per((r) => r.random.atd)))}`,
  );
  const stops = figures.flatMap((f) => f.runs.map((r) => r.stopping));
  const early = stops.filter((s) => s.recall !== undefined && s.recall < 0.95).length;
  console.log(
    `Stopping aid (Callaghan & Müller-Hansen, 95 % recall at 95 % confidence), replayed along each simulated order: "stop: at" = records screened (priors included) when it first said so, as a share of N, "recall" = share of the includes found by then (mean over seeds; '—' = never before the end). Runs where it said so before 95 % recall: ${early} of ${stops.length}.`,
  );
  const beaten = figures.filter((f) => mean(f.runs.map((r) => r.metrics.wss95)) > mean(f.runs.map((r) => r.random.wss95))).length;
  console.log(`WSS@95 above random order on ${beaten} of ${figures.length} datasets. Percentages; ATD as a share of N (records screened up to each include, averaged).`);
  return figures;
}

type ReferenceFigures = Record<string, Record<string, { seed: number; wss95: number; rrf10: number; atd: number; seconds: number }[]>>;

/**
 * Runs the scikit-learn re-creation of ASReview's models (bench/reference.py) on the same datasets from
 * the same priors, and prints its figures beside ours, dataset by dataset.
 */
function compareWithReference(figures: DatasetFigures[], models: string[]): ReferenceFigures | undefined {
  // The first interpreter that has the libraries (a pyenv python3 on PATH often lacks Debian's python3-sklearn).
  const candidates = process.env.SR_PYTHON ? [process.env.SR_PYTHON] : ['python3', '/usr/bin/python3'];
  const python = candidates.find((candidate) => spawnSync(candidate, ['-c', 'import sklearn, pandas'], { stdio: 'ignore' }).status === 0) ?? candidates[0];
  const script = join(__dirname, '..', '..', 'bench', 'reference.py');
  console.log(`\n## Reference: ASReview's models in scikit-learn (${script}), same datasets and priors: ${models.join(', ')}\n`);
  const request = {
    labeledDir: LABELED_DIR,
    labelColumn,
    models,
    datasets: figures.map((f) => ({ file: f.file, included: f.included, seeds: f.runs.map((r) => ({ seed: r.seed, priors: r.priors })) })),
  };
  const started = performance.now();
  const child = spawnSync(python, [script], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (child.error || child.status !== 0) {
    console.log(
      `reference not run: ${child.error?.message ?? `${python} exited with ${child.status}`}. It needs Python 3 with scikit-learn and pandas (Debian: apt-get install python3-sklearn python3-pandas; another interpreter: SR_PYTHON=/path/to/python3).`,
    );
    process.exitCode = 1;
    return undefined;
  }
  const reference = JSON.parse(child.stdout) as ReferenceFigures;
  const cell = (w: number, r: number, a: number) => `${pct(w)} ${pct(r)} ${pct(a)}`;
  const blocks = ['ours', ...models.map((m) => `ASReview ${m}`)];
  console.log(`${''.padEnd(26)} | ${blocks.map((b) => b.padEnd(17)).join(' | ')} | random`);
  console.log(`${'dataset'.padEnd(26)} | ${blocks.map(() => 'WSS95 RRF10   ATD').join(' | ')} |  WSS95`);
  const rows: number[][] = [];
  for (const f of figures) {
    const ours = [mean(f.runs.map((r) => r.metrics.wss95)), mean(f.runs.map((r) => r.metrics.rrf10)), mean(f.runs.map((r) => r.metrics.atd))];
    const theirs = models.map((m) => {
      const runs = reference[m][f.file];
      return [mean(runs.map((r) => r.wss95)), mean(runs.map((r) => r.rrf10)), mean(runs.map((r) => r.atd))];
    });
    const random = mean(f.runs.map((r) => r.random.wss95));
    rows.push([...ours, ...theirs.flat(), random]);
    console.log(`${f.dataset.padEnd(26)} | ${[ours, ...theirs].map((t) => cell(t[0], t[1], t[2])).join(' | ')} |  ${pct(random)}`);
  }
  const column = (i: number) => mean(rows.map((r) => r[i]));
  const means = rows[0].map((_, i) => column(i));
  console.log(
    `${'MEAN over datasets'.padEnd(26)} | ${blocks.map((_, k) => cell(means[3 * k], means[3 * k + 1], means[3 * k + 2])).join(' | ')} |  ${pct(means[means.length - 1])}`,
  );
  const wins = models.map((m, k) => `${m} ${rows.filter((r) => r[0] > r[3 + 3 * k]).length} of ${rows.length}`);
  console.log(`Ours above the reference on WSS@95 (per dataset, mean over the same seeds): ${wins.join(', ')}. Reference time ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return reference;
}

/** A deterministic stand-in for a reviewer's decisions on synthetic records: a topic rule, about 4 % includes, plus 2 % label noise. */
function syntheticLabel(record: RankableRecord, random: () => number): boolean {
  const text = `${record.title} ${record.abstract ?? ''}`.toLowerCase();
  const topical = /methylphenidate|atomoxetine|omeprazole|loratadine/.test(text) && /placebo/.test(text);
  return random() < 0.02 ? !topical : topical;
}

async function lagDuring<T>(work: () => Promise<T>): Promise<{ value: T; maxLagMs: number }> {
  let last = performance.now();
  let maxLagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last);
    last = now;
  }, 1);
  try {
    const value = await work();
    return { value, maxLagMs };
  } finally {
    clearInterval(timer);
  }
}

async function scale(): Promise<Record<string, unknown>> {
  console.log(`\n## Scale: ${scaleRecords.toLocaleString('en-US')} records recombined from the labeled corpus\n`);
  const synthetic = synthesiseRecords(scaleRecords);
  const records: RankableRecord[] = synthetic.map((r, i) => ({ id: `s${i}`, title: r.title, abstract: r.abstract, keywords: r.keywords }));
  const random = seededRandom(7);
  const truth = records.map((r) => syntheticLabel(r, random));
  console.log(`synthetic includes: ${truth.filter(Boolean).length} (${pct(truth.filter(Boolean).length / records.length)} %)`);

  // In-process engine.
  const heapBefore = process.memoryUsage().heapUsed;
  let t = performance.now();
  const engine = new RankingEngine(modelOptions);
  engine.add(records);
  engine.features.prepare();
  const featureSeconds = (performance.now() - t) / 1000;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const memory = process.memoryUsage();
  console.log(
    `features: ${featureSeconds.toFixed(2)} s for ${records.length} records; ${engine.features.columns.toLocaleString('en-US')} terms seen, ${engine.features.vocabularySize.toLocaleString('en-US')} in the vocabulary (df ≥ 2), ${engine.features.storedEntries.toLocaleString('en-US')} entries; heap +${heapMb.toFixed(0)} MB, RSS ${(memory.rss / 2 ** 20).toFixed(0)} MB`,
  );

  // A screening order: the first L records of a fixed shuffle are labelled; each step adds the top-ranked record's label.
  const order = records.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const steps: { labels: number; coldMs: number; stepMedianMs: number; stepMaxMs: number; trainMs: number; rankMs: number; epochs: number }[] = [];
  console.log('\nlabels   cold fit+rank ms   per step (1 more label, warm): median  max   [train  rank] epochs');
  for (const labelCount of [100, 1000, 5000, 20000]) {
    if (labelCount >= records.length) break;
    const labels: RankingLabel[] = order.slice(0, labelCount).map((i) => ({ id: records[i].id, included: truth[i] }));
    if (!labels.some((l) => l.included)) labels[0] = { ...labels[0], included: true };
    engine.reset(1);
    t = performance.now();
    let last = engine.train(labels);
    const coldMs = performance.now() - t;
    const times: number[] = [];
    for (let step = 0; step < 7; step++) {
      const row = Number(engine.idOf(last.order[0])!.slice(1));
      labels.push({ id: records[row].id, included: truth[row] });
      t = performance.now();
      last = engine.train(labels);
      times.push(performance.now() - t);
    }
    const figure = { labels: labelCount, coldMs, stepMedianMs: median(times), stepMaxMs: Math.max(...times), trainMs: last.trainMs, rankMs: last.rankMs, epochs: last.epochs };
    steps.push(figure);
    console.log(
      `${String(labelCount).padStart(6)} ${coldMs.toFixed(0).padStart(18)} ${figure.stepMedianMs.toFixed(0).padStart(43)} ${figure.stepMaxMs.toFixed(0).padStart(4)}   [${figure.trainMs.toFixed(0).padStart(5)} ${figure.rankMs.toFixed(0).padStart(5)}] ${figure.epochs}`,
    );
  }

  // The extension's path: the worker.
  console.log('\nWorkerRankingService (the extension host path):');
  const service = new WorkerRankingService({ model: modelOptions });
  try {
    t = performance.now();
    const loaded = await lagDuring(() => service.setRecords(records));
    const loadSeconds = (performance.now() - t) / 1000;
    const loadSteps = service.stepTimes();
    console.log(
      `  setRecords(${records.length}): ${loadSeconds.toFixed(2)} s; main thread: ${loadSteps.steps} steps, longest ${loadSteps.longestMs.toFixed(1)} ms, p95 ${loadSteps.p95Ms.toFixed(1)} ms; event-loop lag max ${loaded.maxLagMs.toFixed(1)} ms`,
    );
    const labels: RankingLabel[] = order.slice(0, 2000).map((i) => ({ id: records[i].id, included: truth[i] }));
    const trips: number[] = [];
    const workerMs: number[] = [];
    let trainLag = 0;
    for (let step = 0; step < 8; step++) {
      t = performance.now();
      const { value: outcome, maxLagMs } = await lagDuring(() => service.train(labels));
      trips.push(performance.now() - t);
      trainLag = Math.max(trainLag, maxLagMs);
      if (outcome.cancelled) throw new Error('unexpected cancellation');
      workerMs.push(outcome.trainMs + outcome.rankMs);
      const next = outcome.ids[0];
      const row = Number(next.slice(1));
      labels.push({ id: next, included: truth[row] });
    }
    const trainSteps = service.stepTimes();
    console.log(
      `  train() with ~2,000 labels, ${records.length} records: round trip median ${median(trips.slice(1)).toFixed(0)} ms (worker train+rank ${median(workerMs.slice(1)).toFixed(0)} ms); main thread longest step ${trainSteps.longestMs.toFixed(1)} ms; event-loop lag max ${trainLag.toFixed(1)} ms`,
    );
    // Superseded trainings: five calls at once, only the last one resolves with a ranking.
    const burst = await Promise.all([0, 1, 2, 3, 4].map((i) => service.train(labels.slice(0, labels.length - 4 + i))));
    console.log(`  five train() calls at once: ${burst.filter((o) => o.cancelled).length} cancelled, last one ${burst[4].cancelled ? 'cancelled' : 'ranked'}`);
    const relevance = service.relevance(service.current!.ids[0]);
    console.log(`  relevance(top id): ${JSON.stringify(relevance)}`);
    console.log(`  stopping aid: ${JSON.stringify({ ...service.current!.stopping })}`);
    return {
      records: records.length,
      featureSeconds,
      heapMb,
      vocabulary: engine.features.vocabularySize,
      terms: engine.features.columns,
      entries: engine.features.storedEntries,
      steps,
      worker: { loadSeconds, loadSteps, loadLagMs: loaded.maxLagMs, roundTripMedianMs: median(trips.slice(1)), workerMedianMs: median(workerMs.slice(1)), trainSteps, trainLagMs: trainLag },
    };
  } finally {
    await service.dispose();
  }
}

async function main(): Promise<void> {
  console.log(`# bench:ranking — model options ${JSON.stringify(modelOptions)}; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, Node ${process.version}`);
  const started = performance.now();
  const output: Record<string, unknown> = {};
  if (!args.includes('--skip-sim')) {
    const figures = simulateAll();
    output.simulation = figures.map(({ included: _labels, ...rest }) => rest);
    if (referenceModels) output.reference = compareWithReference(figures, referenceModels);
  }
  if (!args.includes('--skip-scale')) output.scale = await scale();
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(output, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
