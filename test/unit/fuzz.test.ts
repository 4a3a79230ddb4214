/**
 * Fuzzing: every importer gets thousands of random and mutated inputs taken from the corpus (bytes
 * flipped, lines cut, files truncated, lines shuffled, random bytes). No exception may escape an
 * importer, and no input may take more than a second per megabyte (with a floor, for timer noise).
 * Seeded, so a failure reproduces.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/parsers/decode';
import { importBytes, importers } from '../../src/parsers/index';
import { CORPUS_DIR, SEEDS_DIR, corpusAvailable } from './helpers/corpus';
import { readFileSync } from 'node:fs';
import { seededRandom as mulberry32 } from '../../src/screening/ranking/random';

const MUTATIONS_PER_IMPORTER = 300;
const MAX_SOURCE_BYTES = 64 * 1024;

function sourceFiles(): Uint8Array[] {
  const files: Uint8Array[] = readdirSync(SEEDS_DIR).map((name) => readFileSync(join(SEEDS_DIR, name)));
  if (!corpusAvailable) return files;
  for (const folder of readdirSync(CORPUS_DIR)) {
    const dir = join(CORPUS_DIR, folder);
    // labeled/ and dedup/ hold benchmark data sets, not export files (dedup/ has a folder per set).
    if (!statSync(dir).isDirectory() || folder === 'labeled' || folder === 'dedup') continue;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isFile() && stat.size <= MAX_SOURCE_BYTES) files.push(readFileSync(path));
    }
  }
  return files;
}

function mutate(source: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const bytes = Uint8Array.from(source);
  switch (pick(6)) {
    case 0: // flip bytes
      for (let k = 0, n = 1 + pick(20); k < n && bytes.length > 0; k++) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    case 1: // truncate
      return bytes.subarray(0, pick(bytes.length + 1));
    case 2: {
      // cut lines out
      const lines = Buffer.from(bytes).toString('latin1').split('\n');
      for (let k = 0, n = 1 + pick(10); k < n && lines.length > 0; k++) lines.splice(pick(lines.length), 1 + pick(3));
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 3: {
      // shuffle some lines
      const lines = Buffer.from(bytes).toString('latin1').split('\n');
      for (let k = 0; k < 10 && lines.length > 1; k++) {
        const a = pick(lines.length);
        const b = pick(lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
      }
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 4: {
      // splice another part of the file into itself (nested/unbalanced structures)
      const at = pick(bytes.length + 1);
      const from = pick(bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(from, from + pick(2000)), bytes.subarray(at)]);
    }
    default: // random bytes, mostly printable
      return Uint8Array.from({ length: pick(3000) }, () => (random() < 0.9 ? 32 + pick(95) : pick(256)));
  }
}

describe('fuzzing the importers', () => {
  const sources = sourceFiles();

  it.each(importers.map((importer) => [importer.format, importer] as const))('%s never throws and stays fast', (_format, importer) => {
    const random = mulberry32(0x5eed ^ importer.format.length * 7919);
    let slowest = { msPerMb: 0, ms: 0, size: 0 };
    for (let n = 0; n < MUTATIONS_PER_IMPORTER; n++) {
      const input = mutate(sources[Math.floor(random() * sources.length)], random);
      const text = decodeBytes(input).text;
      const started = performance.now();
      let result;
      try {
        result = importer.parse(text, 'fuzz.txt');
        importer.sniff(text);
      } catch (error) {
        throw new Error(`${importer.format} threw on mutation ${n}: ${String(error)}\ninput: ${JSON.stringify(text.slice(0, 300))}`);
      }
      const ms = performance.now() - started;
      const megabytes = input.length / 1e6;
      expect(ms, `mutation ${n} of ${input.length} bytes took ${ms.toFixed(0)} ms`).toBeLessThanOrEqual(Math.max(1000 * megabytes, 250));
      if (ms / Math.max(megabytes, 1e-6) > slowest.msPerMb && input.length > 1000) slowest = { msPerMb: ms / megabytes, ms, size: input.length };
      expect(Array.isArray(result.records) && Array.isArray(result.problems)).toBe(true);
      for (const problem of result.problems) expect(problem.line).toBeGreaterThanOrEqual(0);
    }
  });

  it('the registry never throws on mutated bytes', () => {
    const random = mulberry32(42);
    for (let n = 0; n < 1000; n++) {
      const input = mutate(sources[Math.floor(random() * sources.length)], random);
      const result = importBytes(input, 'fuzz.bin');
      expect(result.records.length + result.problems.length).toBeGreaterThanOrEqual(0);
    }
  });
});
