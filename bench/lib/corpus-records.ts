/**
 * Realistic records at scale for benchmarks: real titles, abstracts and authors from the labeled
 * screening datasets in ../shared/corpus/labeled, recombined (title of one, abstract of another) so
 * vocabulary and lengths are real while the records are new.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';

export const LABELED_DIR = resolve(process.env.SR_CORPUS_DIR ?? join(__dirname, '../../../shared/corpus'), 'labeled');

export interface SourceRow {
  title: string;
  abstract: string;
  authors: string[];
  year?: number;
  label?: string;
}

export function readLabeledRows(): SourceRow[] {
  if (!existsSync(LABELED_DIR)) throw new Error(`labeled corpus not found at ${LABELED_DIR} (set SR_CORPUS_DIR)`);
  const rows: SourceRow[] = [];
  for (const name of readdirSync(LABELED_DIR).filter((n) => n.endsWith('.csv')).sort()) {
    const parsed = Papa.parse<Record<string, string>>(readFileSync(join(LABELED_DIR, name), 'utf8'), { header: true, skipEmptyLines: true });
    for (const row of parsed.data) {
      const title = (row.title ?? '').trim();
      if (!title) continue;
      rows.push({
        title,
        abstract: (row.abstract ?? '').trim(),
        authors: (row.authors ?? '').split(/;\s*/).filter(Boolean),
        year: Number(row.year) || undefined,
        label: row.label_included,
      });
    }
  }
  return rows;
}

/** Deterministic PRNG so every run builds the same file. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticRecord {
  title: string;
  abstract: string;
  authors: string[];
  year: number;
  journal: string;
  doi: string;
  keywords: string[];
}

const JOURNALS = ['BMC Psychiatry', 'Lancet', 'BMJ Open', 'JAMA', 'PLoS One', 'Cochrane Database Syst Rev', 'Front Psychiatry', 'N Engl J Med'];

/** `count` records; abstracts are one or two real abstracts joined, so an average record is about 2 KB of RIS. */
export function synthesiseRecords(count: number, seed = 2026): SyntheticRecord[] {
  const rows = readLabeledRows().filter((row) => row.abstract.length > 200);
  const random = seededRandom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const records: SyntheticRecord[] = [];
  for (let i = 0; i < count; i++) {
    const a = pick(rows);
    const b = pick(rows);
    const abstract = random() < 0.25 ? `${b.abstract} ${pick(rows).abstract}` : b.abstract;
    const words = pick(rows).title.split(/\s+/).filter((w) => w.length > 5);
    records.push({
      title: a.title,
      abstract,
      authors: (pick(rows).authors.length > 0 ? pick(rows).authors : ['Anonymous']).slice(0, 12),
      year: 1980 + Math.floor(random() * 45),
      journal: pick(JOURNALS),
      doi: `10.${5000 + (i % 4000)}/bench.${i}`,
      keywords: words.slice(0, 5),
    });
  }
  return records;
}

export function toRis(records: readonly SyntheticRecord[]): string {
  const parts: string[] = [];
  for (const r of records) {
    parts.push('TY  - JOUR\r\n');
    parts.push(`TI  - ${r.title}\r\n`);
    for (const author of r.authors) parts.push(`AU  - ${author}\r\n`);
    parts.push(`PY  - ${r.year}\r\n`, `JO  - ${r.journal}\r\n`, `VL  - ${1 + (r.year % 40)}\r\n`, `SP  - ${r.year % 300}\r\n`);
    parts.push(`DO  - ${r.doi}\r\n`, `AB  - ${r.abstract}\r\n`);
    for (const keyword of r.keywords) parts.push(`KW  - ${keyword}\r\n`);
    parts.push('ER  - \r\n\r\n');
  }
  return parts.join('');
}
