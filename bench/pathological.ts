/**
 * `npm run bench:pathological`: for every import format, a small file whose every field holds a run of
 * 10 KB, 100 KB and 1 MB of one kind of character (letters without a space, digits, punctuation, spaces,
 * mixed tokens, NULs; bench/lib/pathological.ts), imported the way the extension does (binary check,
 * decoding, every sniffer, the chosen importer). Prints the import time (median CPU time of several
 * runs) per size and the ratio per 10× input: linear is about 10; the target is at most 12.
 * Options: --runs N (default 3), --format F (one format), --max-ratio R (default 12; exit 1 above it).
 */
import { importBytes } from '../src/parsers/index';
import { RUN_KINDS, TEMPLATES, fieldCount, pathologicalFile } from './lib/pathological';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const runs = Number(option('runs') ?? 3);
const only = option('format');
const maxRatio = Number(option('max-ratio') ?? 12);
const SIZES = [10_000, 100_000, 1_000_000];

/** Median CPU time (ms) of `runs` imports, after a warm-up run at the smallest size. */
function measure(bytes: Buffer, file: string): { ms: number; format: string; records: number } {
  const times: number[] = [];
  let result = importBytes(bytes, file);
  for (let n = 0; n < runs; n++) {
    global.gc?.();
    const started = process.cpuUsage();
    result = importBytes(bytes, file);
    const used = process.cpuUsage(started);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], format: result.format ?? 'none', records: result.records.length };
}

const header = `${'format'.padEnd(15)} ${'run of'.padEnd(12)} ${'fields'.padStart(6)} ${SIZES.map((size) => `${size / 1000} KB`.padStart(10)).join(' ')}  ${'10→100'.padStart(7)} ${'100→1000'.padStart(8)}  detected as (1 MB)`;
// Every code path compiled once before anything is timed (the first import of a format is slower).
for (const template of TEMPLATES) for (const kind of RUN_KINDS) importBytes(pathologicalFile(template, kind, SIZES[0]), `warm-up.${template.format}`);
process.stdout.write(`Import time (ms CPU, median of ${runs}) of one file with a run of the size shown in every field; ratio per 10× input (target ≤ ${maxRatio}).\n\n${header}\n`);
let worst = 0;
let worstCase = '';
for (const template of TEMPLATES) {
  if (only && template.format !== only) continue;
  for (const kind of RUN_KINDS) {
    const figures = SIZES.map((size) => measure(pathologicalFile(template, kind, size), `hostile.${template.format}`));
    const ratios = [figures[1].ms / Math.max(figures[0].ms, 1), figures[2].ms / Math.max(figures[1].ms, 1)];
    for (const ratio of ratios) {
      if (ratio > worst) {
        worst = ratio;
        worstCase = `${template.format} / ${kind}`;
      }
    }
    const last = figures[2];
    process.stdout.write(
      `${template.format.padEnd(15)} ${kind.padEnd(12)} ${String(fieldCount(template)).padStart(6)} ${figures.map((figure) => figure.ms.toFixed(1).padStart(10)).join(' ')}  ${ratios[0].toFixed(1).padStart(7)} ${ratios[1].toFixed(1).padStart(8)}  ${last.format} (${last.records} record${last.records === 1 ? '' : 's'})${ratios.some((ratio) => ratio > maxRatio) ? '  <-- above target' : ''}\n`,
    );
  }
}
process.stdout.write(`\nWorst ratio per 10× input: ${worst.toFixed(1)} (${worstCase}); target ≤ ${maxRatio}.\n`);
process.exitCode = worst > maxRatio ? 1 : 0;
