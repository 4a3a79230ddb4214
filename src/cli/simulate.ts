import { importFiles } from '../screening/import-records';
import type { ScreeningMetrics } from '../screening/ranking/metrics';
import { defaultBatch, labeledDocuments, Simulation } from '../screening/ranking/simulate';
import { parseArgs, UsageError } from './args';
import type { CliCommand } from './commands';
import { readImportInputs } from './files';

const USAGE = `Usage: sr-screening simulate FILE [--runs N] [--seed S] [--batch N] [--label COLUMN] [--json]
  Simulates prioritised screening on a fully labelled file (any importable format whose records carry a
  0/1 label column, e.g. a CSV with title, abstract, label_included): starting from one random include and
  one random exclude, the model retrains and the highest-ranked record is screened next, until every
  include is found. Runs N simulations (default 1) with seeds S, S+1, … (default S = 1).
  Prints WSS@95, RRF@10 and ATD per run and on average, next to a random order of the same records.
  The prior-knowledge records are left out of N and of the includes. ATD is the mean number of records
  screened up to and including each include, also shown as a share of N.
  --batch N retrains after every N records (default 1 up to 5,000 records, ⌈N/5,000⌉ above).
  --label COLUMN reads the labels from another column (default label_included).
  Exit 0 on success, 1 when the file has no usable labels, 2 on usage errors.`;

interface RunOutput {
  seed: number;
  /** Row numbers (0-based, file order among labelled rows) of the prior include and exclude. */
  priors: number[];
  wss95: number;
  rrf10: number;
  atd: number;
  atdRecords: number;
  recordsTo95: number;
  retrains: number;
  /** Records screened (priors included) when the stopping aid first supported 95 % recall, and the recall then. */
  stoppingPoint: { screened: number | null; recall: number | null };
  seconds: number;
  random: { wss95: number; rrf10: number; atd: number; atdRecords: number };
}

const round = (x: number, digits = 4) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);
const summary = (m: ScreeningMetrics) => ({ wss95: round(m.wss95), rrf10: round(m.rrf10), atd: round(m.atd), atdRecords: round(m.atdRecords, 2) });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function positiveInteger(flag: string | true | undefined, name: string, fallback: number, allowZero = false): number {
  if (flag === undefined) return fallback;
  const value = Number(flag);
  if (typeof flag !== 'string' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw new UsageError(`--${name} needs a whole number${allowZero ? '' : ' above 0'}`);
  return value;
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: 'Simulate prioritised screening on a labelled file (WSS@95, RRF@10, ATD)',
  usage: USAGE,
  async run(argv) {
    const { positional, flags } = parseArgs(argv, ['json'], ['runs', 'seed', 'batch', 'label']);
    if (positional.length !== 1) throw new UsageError('give one labelled file');
    const runs = positiveInteger(flags.get('runs'), 'runs', 1);
    const firstSeed = positiveInteger(flags.get('seed'), 'seed', 1, true);
    const labelFlag = flags.get('label');
    const column = typeof labelFlag === 'string' ? labelFlag : 'label_included';
    const json = flags.has('json');

    const outcome = importFiles(readImportInputs(positional));
    const documents = labeledDocuments([...outcome.records, ...outcome.duplicates], column);
    const includes = documents.filter((d) => d.included).length;
    if (documents.length === 0 || includes === 0 || includes === documents.length) {
      process.stderr.write(
        `sr-screening simulate: ${positional[0]} has ${documents.length} record(s) with a 0/1 '${column}' and ${includes} include(s); a simulation needs at least one include and one exclude\n`,
      );
      return 1;
    }
    const batch = positiveInteger(flags.get('batch'), 'batch', defaultBatch(documents.length));
    const simulation = new Simulation(documents);
    const outputs: RunOutput[] = [];
    for (let i = 0; i < runs; i++) {
      const seed = firstSeed + i;
      const started = performance.now();
      const run = simulation.run({ seed, batch });
      outputs.push({
        seed,
        priors: run.priors,
        ...summary(run.metrics),
        recordsTo95: run.metrics.recordsTo95,
        retrains: run.retrains,
        stoppingPoint: { screened: run.stopping.screened ?? null, recall: run.stopping.recall === undefined ? null : round(run.stopping.recall) },
        seconds: round((performance.now() - started) / 1000, 2),
        random: summary(run.random),
      });
    }
    const average = {
      wss95: round(mean(outputs.map((o) => o.wss95))),
      rrf10: round(mean(outputs.map((o) => o.rrf10))),
      atd: round(mean(outputs.map((o) => o.atd))),
      atdRecords: round(mean(outputs.map((o) => o.atdRecords)), 2),
    };
    const randomAverage = {
      wss95: round(mean(outputs.map((o) => o.random.wss95))),
      rrf10: round(mean(outputs.map((o) => o.random.rrf10))),
      atd: round(mean(outputs.map((o) => o.random.atd))),
      atdRecords: round(mean(outputs.map((o) => o.random.atdRecords)), 2),
    };
    if (json) {
      process.stdout.write(
        `${JSON.stringify(
          {
            file: positional[0],
            labelColumn: column,
            records: documents.length,
            includes,
            batch,
            metrics: {
              wss95: 'WSS@95 = (N - n95)/N - 0.05, n95 = records screened when ceil(0.95 R) includes are found (proportion)',
              rrf10: 'share of the includes among the first floor(0.1 N) records screened',
              atd: 'mean over includes of the records screened up to and including it, divided by N (atdRecords: not divided)',
              n: 'N and R leave out the prior-knowledge records (one include, one exclude)',
              stoppingPoint: 'records screened, priors included, when the Callaghan & Muller-Hansen criterion first supported 95 % recall at 95 % confidence (null: never), and the recall reached then',
            },
            runs: outputs,
            mean: average,
            randomMean: randomAverage,
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const lines = [
      `${positional[0]}: ${documents.length} records, ${includes} includes ('${column}'); prior knowledge 1 include + 1 exclude; retrain every ${batch} record(s)`,
      'N and the includes leave out the prior-knowledge records; ATD = mean records screened up to each include.',
      '',
      `${'seed'.padStart(6)}  ${'WSS@95'.padStart(8)}  ${'RRF@10'.padStart(8)}  ${'ATD'.padStart(8)}  ${'ATD recs'.padStart(9)}  |  random: ${'WSS@95'.padStart(8)}  ${'RRF@10'.padStart(8)}  ${'ATD'.padStart(8)}  |  stopping aid`,
    ];
    const row = (label: string, m: typeof average, r: typeof average, stop = '') =>
      `${label.padStart(6)}  ${pct(m.wss95).padStart(8)}  ${pct(m.rrf10).padStart(8)}  ${pct(m.atd).padStart(8)}  ${m.atdRecords.toFixed(1).padStart(9)}  |          ${pct(r.wss95).padStart(8)}  ${pct(r.rrf10).padStart(8)}  ${pct(r.atd).padStart(8)}  ${stop}`;
    const stop = (o: RunOutput) => (o.stoppingPoint.screened === null ? '|  never' : `|  ${o.stoppingPoint.screened} (recall ${pct(o.stoppingPoint.recall ?? 0)})`);
    for (const o of outputs) lines.push(row(String(o.seed), o, o.random, stop(o)));
    if (outputs.length > 1) lines.push(row('mean', average, randomAverage));
    lines.push('', 'Stopping aid: records screened (priors included) when the Callaghan & Müller-Hansen criterion first supported 95 % recall (95 % confidence), and the recall then.');
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
