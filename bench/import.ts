/**
 * `npm run bench:import`: builds a 50,000-record RIS file (about 100 MB) from real titles and
 * abstracts, then imports it with our RIS importer and with citation-js's RIS input, each in its own
 * child process (so peak memory is that importer's alone), several runs each, and prints the medians
 * side by side. Options: --records N, --runs N, --citation-runs N.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { synthesiseRecords, toRis } from './lib/corpus-records';

interface RunFigures {
  importer: string;
  seconds: number;
  /** User + system CPU time of the import: less sensitive than wall time to other load on the machine. */
  cpuSeconds: number;
  records: number;
  peakRssMb: number;
  baselineRssMb: number;
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

async function worker(importer: string, file: string): Promise<void> {
  // Load code first so the baseline excludes module loading; the file is read inside the timed part.
  const ours = await import('../src/parsers/index');
  const pipeline = await import('../src/screening/import-records');
  const citation = importer === 'citation-js' ? await import('@citation-js/core') : undefined;
  if (citation) await import('@citation-js/plugin-ris');
  global.gc?.();
  const baselineRssMb = process.memoryUsage().rss / 1e6;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let records: number;
  if (citation) {
    const text = readFileSync(file, 'utf8');
    records = (citation.plugins.input.chain(text, { forceType: '@ris/file', generateGraph: false }) as unknown[]).length;
  } else if (importer === 'ours-full') {
    const outcome = pipeline.importFiles([{ file, bytes: readFileSync(file) }]);
    records = outcome.records.length + outcome.duplicates.length;
  } else {
    records = ours.importBytes(readFileSync(file), file).records.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peakRssMb = process.resourceUsage().maxRSS / 1e3;
  const figures: RunFigures = { importer, seconds, cpuSeconds, records, peakRssMb, baselineRssMb };
  process.stdout.write(JSON.stringify(figures));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(importer: string, file: string, runs: number): RunFigures[] {
  const results: RunFigures[] = [];
  for (let run = 0; run < runs; run++) {
    const output = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16000', __filename, '--worker', importer, file], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    results.push(JSON.parse(output) as RunFigures);
  }
  return results;
}

async function main(): Promise<void> {
  const workerIndex = process.argv.indexOf('--worker');
  if (workerIndex >= 0) return worker(process.argv[workerIndex + 1], process.argv[workerIndex + 2]);

  const count = option('records', 50_000);
  const runs = option('runs', 5);
  const citationRuns = option('citation-runs', 3);
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `import-${count}.ris`);
  if (!existsSync(file)) {
    process.stdout.write(`building ${file} from ../shared/corpus/labeled …\n`);
    writeFileSync(file, toRis(synthesiseRecords(count)));
  }
  const megabytes = statSync(file).size / 1e6;
  const loadBefore = loadavg()[0].toFixed(2);
  process.stdout.write(`file: ${file}\nsize: ${megabytes.toFixed(1)} MB, ${count} records; medians over ${runs} runs (citation-js ${citationRuns})\n\n`);

  const rows = [
    { name: 'ours: RIS importer', results: measure('ours', file, runs) },
    { name: 'ours: + ids and dedup', results: measure('ours-full', file, runs) },
    { name: 'citation-js RIS input', results: measure('citation-js', file, citationRuns) },
  ];
  const table = rows.map(({ name, results }) => {
    const seconds = median(results.map((r) => r.seconds));
    const cpuSeconds = median(results.map((r) => r.cpuSeconds));
    const peak = median(results.map((r) => r.peakRssMb));
    return {
      name,
      seconds,
      cpuSeconds,
      records: results[0].records,
      mbPerS: megabytes / seconds,
      cpuMbPerS: megabytes / cpuSeconds,
      recordsPerS: results[0].records / seconds,
      peak,
      peakOverFile: peak / megabytes,
    };
  });
  const load = loadavg()[0].toFixed(2);
  process.stdout.write(`load average before: ${loadBefore}, after: ${load} (on ${cpus().length} cores; wall-clock figures suffer from other load, CPU-time figures much less)\n\n`);
  process.stdout.write('importer                  wall s   MB/s  records/s   CPU s  MB/CPU-s  records  peak RSS MB  peak/file\n');
  for (const row of table) {
    process.stdout.write(
      `${row.name.padEnd(25)} ${row.seconds.toFixed(2).padStart(6)} ${row.mbPerS.toFixed(1).padStart(6)} ${Math.round(row.recordsPerS).toString().padStart(10)} ${row.cpuSeconds.toFixed(2).padStart(7)} ${row.cpuMbPerS.toFixed(1).padStart(9)} ${row.records.toString().padStart(8)} ${row.peak.toFixed(0).padStart(12)} ${row.peakOverFile.toFixed(2).padStart(10)}\n`,
    );
  }
  const [ours, full, theirs] = table;
  process.stdout.write(`\nthroughput ratio ours/citation-js (parsing, as citation-js's RIS input does): ${(ours.mbPerS / theirs.mbPerS).toFixed(2)}x wall-clock, ${(ours.cpuMbPerS / theirs.cpuMbPerS).toFixed(2)}x CPU time (goal ≥ 3x)\n`);
  process.stdout.write(`with our ids and duplicate detection too (citation-js does neither): ${(full.mbPerS / theirs.mbPerS).toFixed(2)}x wall-clock, ${(full.cpuMbPerS / theirs.cpuMbPerS).toFixed(2)}x CPU time\n`);
  process.stdout.write(`our peak memory / file size: ${ours.peakOverFile.toFixed(2)}x (goal ≤ 5x; peak RSS includes Node's own baseline of ${median(rows[0].results.map((r) => r.baselineRssMb)).toFixed(0)} MB)\n`);
  if (ours.records !== count) process.stdout.write(`WARNING: ours imported ${ours.records} of ${count} records\n`);
}

void main();
