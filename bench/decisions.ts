/**
 * `npm run bench:decisions`: a review of 50,000 records whose reviewer already has 50,000 decisions
 * (a 7–8 MB decisions file) and 500 resolutions. Prints:
 *  - load: Review.load (decisions + resolutions read and validated) plus the status of every
 *    record (via the PRISMA counts); records are synthesised in memory, not parsed;
 *  - decide: time from recording one decision until it is durably on disk (atomic write + fsync),
 *    p50 / p95 / max over sequential decisions (changing existing ones; with --records above
 *    --decisions, every other one decides a new record);
 *    after opening, the file's blocks are serialised in the background (the figures are taken
 *    once that is done; a decision made before pays for what is left, once);
 *  - burst: many decisions at once (saves grouped into few writes).
 * Goals: decide p95 ≤ 50 ms, load ≤ 500 ms. Options: --records N, --decisions N, --runs N, --samples N, --dir PATH.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decision, Resolution, Verdict } from '../src/screening/decision';
import { serialiseEntryFile } from '../src/screening/entry-file';
import type { ImportOutcome } from '../src/screening/import-records';
import type { BibRecord } from '../src/screening/record';
import { Review } from '../src/screening/review';
import { fileSafeReviewerId } from '../src/screening/reviewer';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function stringOption(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const median = (values: number[]) => percentile(values, 50);
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const ms = (value: number) => `${value.toFixed(1)} ms`;

const RECORDS = option('records', 50_000);
const DECISIONS = Math.min(option('decisions', 50_000), RECORDS);
const RUNS = option('runs', 5);
const SAMPLES = option('samples', 300);
const REASONS = ['Wrong population', 'Wrong intervention or exposure', 'Wrong outcome', 'Wrong study design', 'Wrong publication type'];

const id = (i: number) => (i % 3 === 0 ? `doi:10.5555/bench.${i}` : i % 3 === 1 ? `pmid:${30_000_000 + i}` : `ref:${(0x1000_0000_0000 + i * 7919).toString(16)}`);

function outcome(): ImportOutcome {
  const records: BibRecord[] = [];
  for (let i = 0; i < RECORDS; i++) {
    records.push({
      id: id(i),
      title: `Synthetic record ${i} on physical health care for people with serious mental illness`,
      authors: [`Author${i % 997}, A.`, `Coauthor${i % 89}, B.`],
      year: 1990 + (i % 35),
      keywords: [],
      type: 'journal-article',
      provenance: { file: i % 5 === 0 ? 'embase.ris' : 'medline.ris', format: 'ris', line: i * 12 + 1, index: i },
    });
  }
  return {
    records,
    duplicates: [],
    problems: [],
    files: [
      { file: 'medline.ris', format: 'ris', records: records.length - Math.ceil(RECORDS / 5), problems: 0 },
      { file: 'embase.ris', format: 'ris', records: Math.ceil(RECORDS / 5), problems: 0 },
    ],
  };
}

function existingDecisions(): Decision[] {
  const start = Date.UTC(2026, 0, 1);
  const decisions: Decision[] = [];
  for (let i = 0; i < DECISIONS; i++) {
    const verdict: Verdict = i % 10 < 2 ? 'include' : i % 10 === 9 ? 'maybe' : 'exclude';
    decisions.push({
      record: id(i),
      stage: 'title-abstract',
      verdict,
      reason: verdict === 'exclude' ? REASONS[i % REASONS.length] : null,
      note: i % 50 === 0 ? `Checked against protocol section ${i % 7}` : null,
      time: new Date(start + i * 1000).toISOString(),
    });
  }
  return decisions;
}

function existingResolutions(): Resolution[] {
  return Array.from({ length: 500 }, (_, k) => ({
    record: id(k * 97),
    stage: 'title-abstract' as const,
    verdict: 'include' as const,
    reason: null,
    note: null,
    by: 'c@x.org',
    time: new Date(Date.UTC(2026, 1, 1) + k * 1000).toISOString(),
  }));
}

async function main(): Promise<void> {
  const parent = stringOption('dir');
  const dir = parent ? mkdtempSync(join(parent, 'sr-bench-')) : mkdtempSync(join(tmpdir(), 'sr-bench-'));
  try {
    const records = outcome();
    const decisionsFile = join(dir, 'screening', 'decisions', `${fileSafeReviewerId('a@x.org')}.json`);
    mkdirSync(join(dir, 'screening', 'decisions'), { recursive: true });
    writeFileSync(decisionsFile, serialiseEntryFile('decisions', { reviewer: 'a@x.org' }, existingDecisions()));
    writeFileSync(join(dir, 'screening', 'resolutions.json'), serialiseEntryFile('resolutions', {}, existingResolutions()));
    const git = async () => ({ code: 1, stdout: '', stderr: '' });
    const sizeMb = statSync(decisionsFile).size / 1e6;
    console.log(`Review: ${RECORDS.toLocaleString('en')} records, ${DECISIONS.toLocaleString('en')} decisions (${sizeMb.toFixed(1)} MB file), 500 resolutions, in ${dir}`);

    // Load: decisions + resolutions + status of every record.
    const loads: number[] = [];
    let review: Review | undefined;
    for (let run = 0; run < RUNS + 1; run++) {
      // Let the previous run's background work (serialising the file ahead of saves) finish first.
      await sleep(300);
      const started = performance.now();
      review = await Review.load(dir, { reviewer: 'a@x.org', outcome: records, git });
      const counts = review.counts();
      const elapsed = performance.now() - started;
      if (run > 0) loads.push(elapsed); // the first run warms up the code
      if (counts.records_screened !== RECORDS) throw new Error('unexpected counts');
    }
    console.log(`load (read + validate ${DECISIONS.toLocaleString('en')} decisions and 500 resolutions, status of every record): median ${ms(median(loads))}, max ${ms(Math.max(...loads))} over ${RUNS} runs  [goal ≤ 500 ms]`);

    // Sequential decisions: latency until durably on disk (after the background preparation).
    await sleep(500);
    const latencies: number[] = [];
    const verdicts: Verdict[] = ['include', 'exclude', 'maybe'];
    for (let k = 0; k < SAMPLES; k++) {
      // Half change an existing decision, half decide a record not decided yet (if any).
      const index = k % 2 === 0 || DECISIONS >= RECORDS ? (k * 7919) % DECISIONS : DECISIONS + (k % (RECORDS - DECISIONS));
      const verdict = verdicts[k % 3];
      const started = performance.now();
      await review!.decide(id(index), 'title-abstract', verdict, verdict === 'exclude' ? 'Wrong outcome' : null);
      latencies.push(performance.now() - started);
    }
    console.log(
      `decide → durable on disk (${SAMPLES} sequential): p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(Math.max(...latencies))}  [goal p95 ≤ 50 ms]`,
    );

    // Burst: many decisions at once share writes.
    const burst = 500;
    const started = performance.now();
    await Promise.all(Array.from({ length: burst }, (_, k) => review!.decide(id((k * 31) % RECORDS), 'full-text', 'include')));
    const burstMs = performance.now() - started;
    console.log(`burst: ${burst} decisions at once durable in ${ms(burstMs)} (${(burstMs / burst).toFixed(2)} ms per decision)`);
    const final = await Review.load(dir, { reviewer: 'a@x.org', outcome: records, git });
    console.log(`check: ${final.decisions().length.toLocaleString('en')} decisions on disk after the run`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
