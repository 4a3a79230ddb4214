/**
 * `npm run bench:search`: 50,000 records recombined from the real titles and abstracts in
 * ../shared/corpus/labeled; 200 fixed queries generated deterministically from the corpus vocabulary
 * (single words, multi-word, one typo, two typos, prefixes, phrases), saved to
 * bench-results/search-queries.txt. Each part runs in its own child process:
 *
 * - ours: SearchIndex build time (median of --builds) and memory; every query's latency (median of
 *   --runs passes after a warm-up pass) at 50,000 records and on the fuse.js slice; and, for the typo
 *   words, fuse.js over the vocabulary against the trie walk (why the trie does typo expansion).
 * - fuse: plain fuse.js over title + abstract (ignoreLocation: true, threshold: 0.3) on the first
 *   --fuse-records records (default 5,000; fuse.js scans every record per query, so 50,000 would take
 *   hours), one pass, plus a smaller slice to check that its cost is linear in the record count; the
 *   per-record cost is then extrapolated to 50,000.
 * - worker: the extension's path (WorkerSearchService): indexing time, the longest main-thread step
 *   and event-loop lag while indexing, and query round trips.
 *
 * Options: --records N, --fuse-records N, --runs N, --builds N, --skip-worker.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Fuse from 'fuse.js';
import { readLabeledRows, seededRandom, synthesiseRecords } from './lib/corpus-records';
import { osaDistance } from '../src/screening/search/edit-distance';
import { SearchIndex, type SearchableRecord } from '../src/screening/search/engine';
import { WorkerSearchService } from '../src/screening/search/service';
import { allowedEdits, tokenize } from '../src/screening/search/tokenize';

type Category = 'single' | 'multi' | 'typo1' | 'typo2' | 'prefix' | 'phrase';
interface BenchQuery {
  category: Category;
  query: string;
  /** For typo queries: the word the typo came from. */
  word?: string;
}

interface OursFigures {
  buildSeconds: number[];
  /** CPU time of the builds (user + system, all threads): steadier than wall time on a busy machine. */
  buildCpuSeconds: number[];
  heapMb: number;
  indexMb: number;
  terms: number;
  postings: number;
  peakRssMb: number;
  recordsTextMb: number;
  latencies: number[];
  totals: number[];
  sliceLatencies: number[];
  vocab: { terms: number; words: number; trieMs: number[]; fuseAllMs: number[]; fuseBucketMs: number[]; fuseAllRecall: number; fuseBucketRecall: number };
}

interface FuseFigures {
  records: number;
  buildMs: number;
  latencies: number[];
  totals: number[];
  small: { records: number; latencies: number[] };
}

interface WorkerFigures {
  addSeconds: number;
  longestStepMs: number;
  p95StepMs: number;
  steps: number;
  maxLagMs: number;
  idleLagMs: number;
  maxGcMs: number;
  latencies: number[];
  maxQueryLagMs: number;
}

const STOPWORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were with which who than then these those not no can may after before between during into over under also among using used use study studies'.split(
    ' ',
  ),
);
const CATEGORY_COUNTS: [Category, number][] = [
  ['single', 40],
  ['multi', 40],
  ['typo1', 40],
  ['typo2', 40],
  ['prefix', 20],
  ['phrase', 20],
];

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The benchmark records as plain, flat JSON-like data (as an importer would produce them). */
function benchRecords(count: number): SearchableRecord[] {
  const records = synthesiseRecords(count).map((r, i) => ({ id: `b${i}`, title: r.title, abstract: r.abstract, authors: r.authors, year: r.year, keywords: r.keywords }));
  return JSON.parse(JSON.stringify(records)) as SearchableRecord[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
function edit(word: string, random: () => number): string {
  const at = Math.floor(random() * word.length);
  const letter = LETTERS[Math.floor(random() * 26)];
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, at) + letter + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + letter + word.slice(at);
    case 2:
      return word.slice(0, at) + word.slice(at + 1);
    default:
      return at + 1 < word.length ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word.slice(0, at) + letter;
  }
}

/** 200 queries from the corpus vocabulary, the same on every run. */
function makeQueries(): BenchQuery[] {
  const rows = readLabeledRows();
  const random = seededRandom(4242);
  const df = new Map<string, number>();
  for (const row of rows) for (const term of new Set(tokenize(`${row.title} ${row.abstract}`))) df.set(term, (df.get(term) ?? 0) + 1);
  const content = [...df.entries()]
    .filter(([term, n]) => n >= 5 && /^[a-z]+$/.test(term) && term.length >= 4 && !STOPWORDS.has(term))
    .map(([term]) => term)
    .sort();
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const queries: BenchQuery[] = [];
  const seen = new Set<string>();
  const push = (category: Category, query: string, word?: string) => {
    if (seen.has(query)) return false;
    seen.add(query);
    queries.push({ category, query, word });
    return true;
  };
  const window = (text: string, min: number, max: number): string[] | undefined => {
    const terms = tokenize(text);
    const size = min + Math.floor(random() * (max - min + 1));
    if (terms.length < size) return undefined;
    const at = Math.floor(random() * (terms.length - size + 1));
    const words = terms.slice(at, at + size);
    if (!words.every((w) => /^[a-z]+$/.test(w)) || words.filter((w) => !STOPWORDS.has(w) && w.length >= 4).length < 2) return undefined;
    return words;
  };
  for (const [category, count] of CATEGORY_COUNTS) {
    let made = 0;
    while (made < count) {
      let ok = false;
      if (category === 'single') ok = push(category, pick(content));
      else if (category === 'multi') {
        const words = window(pick(rows).title, 2, 3);
        ok = !!words && push(category, words.join(' '));
      } else if (category === 'phrase') {
        const words = window(pick(rows).abstract || pick(rows).title, 2, 3);
        ok = !!words && push(category, `"${words.join(' ')}"`);
      } else if (category === 'prefix') {
        const word = pick(content.filter((w) => w.length >= 7));
        ok = push(category, word.slice(0, 3 + Math.floor(random() * 4)));
      } else {
        const edits = category === 'typo1' ? 1 : 2;
        const word = pick(content.filter((w) => (edits === 1 ? w.length >= 5 && w.length <= 8 : w.length >= 10)));
        let typo = word;
        for (let k = 0; k < edits; k++) typo = edit(typo, random);
        ok = osaDistance(word, typo) === edits && allowedEdits(typo.length) >= edits && push(category, typo, word);
      }
      if (ok) made++;
    }
  }
  return queries;
}

function childJson<T>(mode: string, extra: string[] = []): T {
  const output = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8000', __filename, '--child', mode, ...process.argv.slice(2).filter((a) => a !== '--child'), ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.slice(output.indexOf('{'))) as T;
}

async function childOurs(queries: BenchQuery[]): Promise<OursFigures> {
  const count = option('records', 50_000);
  const runs = option('runs', 3);
  const builds = option('builds', 3);
  const records = benchRecords(count);
  let recordsText = 0;
  for (const r of records) recordsText += r.title.length + (r.abstract?.length ?? 0) + r.authors.join('').length + r.keywords.join('').length;
  const gc = global.gc ?? (() => undefined);
  const buildSeconds: number[] = [];
  const buildCpuSeconds: number[] = [];
  let index: SearchIndex | undefined;
  let heapMb = 0;
  for (let b = 0; b < builds; b++) {
    index = undefined;
    gc();
    const before = process.memoryUsage();
    const started = performance.now();
    const cpu = process.cpuUsage();
    index = new SearchIndex(records);
    buildSeconds.push((performance.now() - started) / 1000);
    const used = process.cpuUsage(cpu);
    buildCpuSeconds.push((used.user + used.system) / 1e6);
    gc();
    const after = process.memoryUsage();
    if (b === 0) heapMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1e6;
  }
  const built = index as SearchIndex;
  const stats = built.stats();
  const timeQueries = (ix: SearchIndex) => {
    const totals = queries.map((q) => ix.search(q.query).total); // warm-up pass
    const samples: number[][] = queries.map(() => []);
    for (let run = 0; run < runs; run++) {
      queries.forEach((q, i) => {
        const started = performance.now();
        ix.search(q.query);
        samples[i].push(performance.now() - started);
      });
    }
    return { latencies: samples.map(median), totals };
  };
  const full = timeQueries(built);
  const slice = timeQueries(new SearchIndex(records.slice(0, option('fuse-records', 5000))));

  // Typo expansion: fuse.js over the vocabulary (whole, and bucketed by length) vs the trie walk.
  const typos = queries.filter((q) => q.category === 'typo1' || q.category === 'typo2').map((q) => q.query);
  const vocabulary = built.terms().filter((t) => built.documentFrequency(t) > 0);
  const fuseOptions = { includeScore: true, isCaseSensitive: true, ignoreFieldNorm: true, ignoreLocation: true, threshold: 0.4 };
  const fuseAll = new Fuse(vocabulary, fuseOptions);
  const buckets = new Map<number, Fuse<string>>();
  for (let length = 1; length <= 48; length++) buckets.set(length, new Fuse(vocabulary.filter((t) => t.length === length), fuseOptions));
  const trieMs: number[] = [];
  const fuseAllMs: number[] = [];
  const fuseBucketMs: number[] = [];
  let ruleTerms = 0;
  let foundAll = 0;
  let foundBucket = 0;
  for (const word of typos) {
    let started = performance.now();
    const expected = built.expand(word).map(([term]) => term);
    trieMs.push(performance.now() - started);
    started = performance.now();
    const all = new Set(fuseAll.search(word).map((r) => r.item));
    fuseAllMs.push(performance.now() - started);
    started = performance.now();
    const bucketed = new Set<string>();
    const k = allowedEdits(word.length);
    for (let length = word.length - k; length <= word.length + k; length++) for (const r of buckets.get(length)?.search(word) ?? []) bucketed.add(r.item);
    fuseBucketMs.push(performance.now() - started);
    ruleTerms += expected.length;
    foundAll += expected.filter((t) => all.has(t)).length;
    foundBucket += expected.filter((t) => bucketed.has(t)).length;
  }
  return {
    buildSeconds,
    buildCpuSeconds,
    heapMb,
    indexMb: stats.bytes / 1e6,
    terms: stats.terms,
    postings: stats.postings,
    peakRssMb: process.resourceUsage().maxRSS / 1e3,
    recordsTextMb: recordsText / 1e6,
    latencies: full.latencies,
    totals: full.totals,
    sliceLatencies: slice.latencies,
    vocab: { terms: vocabulary.length, words: typos.length, trieMs, fuseAllMs, fuseBucketMs, fuseAllRecall: foundAll / ruleTerms, fuseBucketRecall: foundBucket / ruleTerms },
  };
}

function childFuse(queries: BenchQuery[]): FuseFigures {
  const sliceCount = option('fuse-records', 5000);
  const records = benchRecords(sliceCount);
  const options = { keys: ['title', 'abstract'], ignoreLocation: true, threshold: 0.3 };
  const run = (recs: SearchableRecord[], qs: BenchQuery[]) => {
    const started = performance.now();
    const fuse = new Fuse(recs, options);
    const buildMs = performance.now() - started;
    const latencies: number[] = [];
    const totals: number[] = [];
    for (const q of qs) {
      const t0 = performance.now();
      totals.push(fuse.search(q.query.replace(/"/g, '')).length);
      latencies.push(performance.now() - t0);
    }
    return { buildMs, latencies, totals };
  };
  const small = run(records.slice(0, Math.floor(sliceCount / 5)), queries.filter((_, i) => i % 10 === 0));
  const full = run(records, queries);
  return { records: sliceCount, buildMs: full.buildMs, latencies: full.latencies, totals: full.totals, small: { records: Math.floor(sliceCount / 5), latencies: small.latencies } };
}

async function childWorker(queries: BenchQuery[]): Promise<WorkerFigures> {
  const records = benchRecords(option('records', 50_000));
  const service = new WorkerSearchService({ workerPath: join(__dirname, '..', 'workers', 'search-worker.js') });
  await service.stats(); // the worker is up
  let last = performance.now();
  let maxLag = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - last);
    last = now;
  }, 2);
  // The same monitor with nothing to do: this machine's own scheduling noise, for comparison.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idleLagMs = maxLag;
  let maxGcMs = 0;
  const { PerformanceObserver } = await import('node:perf_hooks');
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) maxGcMs = Math.max(maxGcMs, entry.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  maxLag = 0;
  last = performance.now();
  const started = performance.now();
  await service.add(records);
  const addSeconds = (performance.now() - started) / 1000;
  const maxLagMs = maxLag;
  const { longestMs: longestStepMs, p95Ms: p95StepMs, steps } = service.stepTimes();
  gcObserver.disconnect();
  for (const q of queries) await service.search(q.query); // warm-up
  maxLag = 0;
  last = performance.now();
  const samples: number[][] = queries.map(() => []);
  for (let run = 0; run < option('runs', 3); run++) {
    for (let i = 0; i < queries.length; i++) {
      const t0 = performance.now();
      const outcome = await service.search(queries[i].query);
      if (outcome.cancelled) throw new Error('unexpected cancellation');
      samples[i].push(performance.now() - t0);
    }
  }
  clearInterval(timer);
  await service.dispose();
  return { addSeconds, longestStepMs, p95StepMs, steps, maxLagMs, idleLagMs, maxGcMs, latencies: samples.map(median), maxQueryLagMs: maxLag };
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');

async function main(): Promise<void> {
  const childIndex = process.argv.indexOf('--child');
  const queries = makeQueries();
  if (childIndex >= 0) {
    const mode = process.argv[childIndex + 1];
    const figures = mode === 'ours' ? await childOurs(queries) : mode === 'fuse' ? childFuse(queries) : await childWorker(queries);
    process.stdout.write(JSON.stringify(figures));
    return;
  }

  const count = option('records', 50_000);
  const fuseRecords = option('fuse-records', 5000);
  const runs = option('runs', 3);
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const queryFile = join(dir, 'search-queries.txt');
  writeFileSync(queryFile, queries.map((q) => `${q.query}\n`).join(''));
  const out = process.stdout;
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  out.write(`records: ${count.toLocaleString('en')} recombined from ../shared/corpus/labeled; Node ${process.version}, ${cpus().length} cores, load average ${load()} (a shared machine: timings move with it)\n`);
  out.write(`queries: ${queries.length}, saved to ${queryFile} (one a line; also usable with: sr-screening search DIR --queries FILE)\n`);
  for (const [category] of CATEGORY_COUNTS) {
    const list = queries.filter((q) => q.category === category);
    out.write(`  ${category.padEnd(6)} ${list.length}: ${list.map((q) => (q.word ? `${q.query} (${q.word})` : q.query)).join(' | ')}\n`);
  }

  out.write(`\nrunning: ours (builds ${option('builds', 3)}, ${runs} timed passes per query) …\n`);
  const ours = childJson<OursFigures>('ours');
  out.write(`running: plain fuse.js on ${fuseRecords.toLocaleString('en')} records (one pass; a few minutes) …\n`);
  const fuse = childJson<FuseFigures>('fuse');
  let worker: WorkerFigures | undefined;
  if (!process.argv.includes('--skip-worker')) {
    out.write('running: worker path …\n');
    worker = childJson<WorkerFigures>('worker');
  }

  out.write(`load average after the runs: ${load()}\n`);
  const buildMedian = median(ours.buildSeconds);
  out.write(`\nindex build (${count.toLocaleString('en')} records, ${f1(ours.recordsTextMb)} MB of text): median ${f2(buildMedian)} s over ${ours.buildSeconds.length} builds (${ours.buildSeconds.map(f2).join(', ')} s; CPU time ${ours.buildCpuSeconds.map(f2).join(', ')} s) — goal ≤ 5 s\n`);
  out.write(
    `index memory: ${f1(ours.heapMb)} MB (heap + array buffers after GC, records excluded); the index's own count ${f1(ours.indexMb)} MB; ${ours.terms.toLocaleString('en')} terms, ${ours.postings.toLocaleString('en')} postings; peak RSS of that process ${f1(ours.peakRssMb)} MB (records included)\n`,
  );

  const scale = count / fuse.records;
  const header = `\n${'queries'.padEnd(8)} ${'n'.padStart(3)} | ours ${count / 1000}k p50   p95 | ours ${fuse.records / 1000}k p50   p95 | fuse ${fuse.records / 1000}k p50     p95 | fuse ${count / 1000}k est. p50      p95 | speed-up ${count / 1000}k (p50, total) | same ${fuse.records / 1000}k (p50, total)\n`;
  out.write(header);
  const rows: [string, number[]][] = [...CATEGORY_COUNTS.map(([c]) => [c, queries.map((q, i) => (q.category === c ? i : -1)).filter((i) => i >= 0)] as [string, number[]]), ['all', queries.map((_, i) => i)]];
  for (const [name, indices] of rows) {
    const pick = (values: number[]) => indices.map((i) => values[i]);
    const o = pick(ours.latencies);
    const os = pick(ours.sliceLatencies);
    const fz = pick(fuse.latencies);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    out.write(
      `${name.padEnd(8)} ${String(indices.length).padStart(3)} | ${f2(median(o)).padStart(12)} ${f2(percentile(o, 95)).padStart(5)} | ${f2(median(os)).padStart(11)} ${f2(percentile(os, 95)).padStart(5)} | ${f1(median(fz)).padStart(12)} ${f1(percentile(fz, 95)).padStart(7)} | ${f1(median(fz) * scale).padStart(17)} ${f1(percentile(fz, 95) * scale).padStart(8)} | ${`${f1((median(fz) * scale) / median(o))}x, ${f1((sum(fz) * scale) / sum(o))}x`.padStart(24)} | ${`${f1(median(fz) / median(os))}x, ${f1(sum(fz) / sum(os))}x`.padStart(21)}\n`,
    );
  }
  const all = ours.latencies;
  out.write(`\nours at ${count.toLocaleString('en')}: p50 ${f2(median(all))} ms, p95 ${f2(percentile(all, 95))} ms, max ${f2(Math.max(...all))} ms (goal p95 ≤ 50 ms); every match returned and ranked (median ${median(ours.totals)} results a query)\n`);
  const perRecordSmall = median(fuse.small.latencies) / fuse.small.records;
  const smallIdx = queries.map((_, i) => i).filter((i) => i % 10 === 0);
  const perRecordFull = median(smallIdx.map((i) => fuse.latencies[i])) / fuse.records;
  out.write(
    `fuse.js: built in ${f1(fuse.buildMs)} ms; scans every record per query, so its cost is linear in records: per-record median ${(perRecordSmall * 1000).toFixed(1)} µs at ${fuse.small.records.toLocaleString('en')} records vs ${(perRecordFull * 1000).toFixed(1)} µs at ${fuse.records.toLocaleString('en')} (same ${smallIdx.length} queries); ${count / 1000}k figures above are the ${fuse.records / 1000}k ones × ${scale}\n`,
  );
  const sumOurs = all.reduce((a, b) => a + b, 0);
  const sumFuse = fuse.latencies.reduce((a, b) => a + b, 0) * scale;
  out.write(`speed-up over plain fuse.js at ${count.toLocaleString('en')} records: ${f1(sumFuse / sumOurs)}x in total time for the 200 queries, ${f1((median(fuse.latencies) * scale) / median(all))}x at the median (goal ≥ 50x)\n`);

  const v = ours.vocab;
  out.write(
    `\ntypo expansion of the ${v.words} typo words over the vocabulary (${v.terms.toLocaleString('en')} terms): trie walk p50 ${f2(median(v.trieMs))} ms, p95 ${f2(percentile(v.trieMs, 95))} ms (exact edit rule); fuse.js over the whole vocabulary p50 ${f1(median(v.fuseAllMs))} ms, p95 ${f1(percentile(v.fuseAllMs, 95))} ms, finds ${(v.fuseAllRecall * 100).toFixed(1)}% of the terms the rule allows; fuse.js over length buckets (L±k) p50 ${f1(median(v.fuseBucketMs))} ms, p95 ${f1(percentile(v.fuseBucketMs, 95))} ms, finds ${(v.fuseBucketRecall * 100).toFixed(1)}%\n`,
  );
  if (worker) {
    const w = worker.latencies;
    out.write(
      `\nworker path (WorkerSearchService, what the extension uses): indexing ${count.toLocaleString('en')} records took ${f2(worker.addSeconds)} s; synchronous steps on the main thread: ${worker.steps}, longest ${f1(worker.longestStepMs)} ms, p95 ${f1(worker.p95StepMs)} ms; largest event-loop gap while indexing ${f1(worker.maxLagMs)} ms (goal ≤ 50 ms; the same monitor on an idle event loop just before: ${f1(worker.idleLagMs)} ms; longest main-thread GC pause meanwhile ${f1(worker.maxGcMs)} ms); query round trip p50 ${f2(median(w))} ms, p95 ${f2(percentile(w, 95))} ms (results for every match copied back); largest event-loop gap during queries ${f1(worker.maxQueryLagMs)} ms\n`,
    );
  }
}

void main();
