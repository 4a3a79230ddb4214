/**
 * No input may make an import slower than linear: every field of every format gets a long run of
 * letters without a space, digits, punctuation, spaces, mixed tokens or NULs (bench/lib/pathological.ts),
 * at two sizes ten times apart. Checked by the ratio of the two times (the best of several runs each),
 * not by a time limit: a quadratic detector makes the ratio about 100, a linear one about 10.
 * `npm run bench:pathological` prints the times up to fields of 1 MB.
 */
import { describe, expect, it } from 'vitest';
import { importBytes, importers } from '../../../src/parsers/index';
import { RUN_KINDS, TEMPLATES, ordinaryFile, pathologicalFile, type PathologicalTemplate, type RunKind } from '../../../bench/lib/pathological';

const SMALL = 4_000;
const LARGE = 40_000;
/** Linear is 10; allow for noise (garbage collection) and the fixed cost of small inputs; quadratic is about 100. */
const MAX_RATIO = 40;

/**
 * The best of a few runs, in ms of this process's CPU time (after one warm-up run): other processes on
 * a loaded machine do not count, so the ratio depends on the work done.
 */
function best(work: () => void): number {
  work();
  let fastest = Infinity;
  for (let n = 0; n < 5; n++) {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    fastest = Math.min(fastest, (used.user + used.system) / 1000);
  }
  return fastest;
}

/** The ratio of the large input's time to the small one's, with a floor of 1 ms for the small one. */
function ratio(work: (size: number) => void): { ratio: number; small: number; large: number } {
  const small = best(() => work(SMALL));
  const large = best(() => work(LARGE));
  return { ratio: large / Math.max(small, 1), small, large };
}

const cases = TEMPLATES.flatMap((template) => RUN_KINDS.map((kind) => [template.format, kind, template] as [string, RunKind, PathologicalTemplate]));

describe('every detector and parser is linear in its input', () => {
  it.each(TEMPLATES.map((template) => [template.format, template] as const))('the %s template is detected as its format', (format, template) => {
    const result = importBytes(ordinaryFile(template), `ordinary.${format}`);
    expect(result.format).toBe(format);
    expect(result.records.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s with runs of %s in every field', (format, kind, template) => {
    const files = new Map([SMALL, LARGE].map((size) => [size, pathologicalFile(template, kind, size)]));
    // The whole path: binary check, decoding, every sniffer, the chosen importer.
    const detected = ratio((size) => importBytes(files.get(size)!, `hostile.${format}`));
    expect(detected.ratio, `import: ${detected.small.toFixed(1)} ms at ${SMALL}, ${detected.large.toFixed(1)} ms at ${LARGE}`).toBeLessThanOrEqual(MAX_RATIO);
    // The format's own importer, even where the runs hide the format from the sniffers.
    const importer = importers.find((candidate) => candidate.format === format)!;
    const texts = new Map([...files].map(([size, bytes]) => [size, bytes.toString('utf8')]));
    const parsed = ratio((size) => importer.parse(texts.get(size)!, `hostile.${format}`));
    expect(parsed.ratio, `parse: ${parsed.small.toFixed(1)} ms at ${SMALL}, ${parsed.large.toFixed(1)} ms at ${LARGE}`).toBeLessThanOrEqual(MAX_RATIO);
    // NULs are left out and reported, the rest imports.
    if (kind === 'nul') {
      const result = importBytes(files.get(LARGE)!, `hostile.${format}`);
      expect(result.format).toBe(format);
      expect(result.records.length).toBeGreaterThan(0);
      expect(result.problems.some((problem) => /NUL/.test(problem.message) && problem.line > 0)).toBe(true);
    }
  });

  it('every sniffer is linear on every hostile file', () => {
    const worst: string[] = [];
    for (const [format, kind, template] of cases) {
      const texts = new Map([SMALL, LARGE].map((size) => [size, pathologicalFile(template, kind, size).toString('utf8')]));
      for (const importer of importers) {
        const measured = ratio((size) => importer.sniff(texts.get(size)!));
        if (measured.ratio > MAX_RATIO) worst.push(`${importer.format} sniffing ${format}/${kind}: ${measured.small.toFixed(1)} -> ${measured.large.toFixed(1)} ms`);
      }
    }
    expect(worst).toEqual([]);
  });
});
