/** Reads ../shared/corpus at test time (never copied into the repo). */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/corpus beside the repository, or SR_CORPUS_DIR (a git worktree elsewhere). */
export const CORPUS_DIR = process.env.SR_CORPUS_DIR ? resolve(process.env.SR_CORPUS_DIR) : resolve(__dirname, '../../../../shared/corpus');
export const SEEDS_DIR = resolve(__dirname, '../../../seeds');
export const corpusAvailable = existsSync(join(CORPUS_DIR, 'MANIFEST.tsv'));

export interface ManifestRow {
  path: string;
  format: string;
  recordCount: number;
  quirks: string;
}

export function readManifest(): ManifestRow[] {
  const lines = readFileSync(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim());
  const header = lines[0].split('\t');
  const col = (name: string) => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return {
      path: cells[col('path')],
      format: cells[col('format')],
      recordCount: Number(cells[col('record_count')]),
      quirks: cells[col('quirks')] ?? '',
    };
  });
}

export function corpusBytes(path: string): Uint8Array {
  return readFileSync(join(CORPUS_DIR, path));
}
