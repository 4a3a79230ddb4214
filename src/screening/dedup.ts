/**
 * Duplicate detection across a review's imports. Exact duplicates share a normalised DOI or PMID;
 * likely duplicates share first-author family name and publication year (a year apart is allowed,
 * for online-first vs issue dates) and have near-identical normalised titles (Sørensen–Dice over
 * character bigrams ≥ 0.9, and the same numbers). Records whose DOIs (or PMIDs) differ are never
 * merged by title.
 * Nothing is deleted: each duplicate is linked to the record it duplicates, the earliest imported.
 */
import { normaliseName, normaliseTitle } from './ids';
import { familyName, type BibRecord } from './record';

export type DuplicateReason = 'doi' | 'pmid' | 'title';

export interface DuplicateLink {
  /** Index (in the input array) of the duplicate record. */
  index: number;
  /** Index of the record it duplicates (always an earlier, kept record). */
  duplicateOf: number;
  reason: DuplicateReason;
  /** Title similarity for 'title' links. */
  similarity?: number;
}

export const TITLE_SIMILARITY_THRESHOLD = 0.9;
/** Shorter titles ("Editorial", "Reply") are too generic to match on. */
const MIN_FUZZY_TITLE_LENGTH = 20;

/** Finds duplicates among records in import order. Linear in the number of records plus small blocks. */
export function findDuplicates(records: readonly BibRecord[]): DuplicateLink[] {
  const parent = records.map((_, i) => i);
  const reasons = new Map<number, { reason: DuplicateReason; similarity?: number }>();
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (earlier: number, later: number, reason: DuplicateReason, similarity?: number): void => {
    const a = find(earlier);
    const b = find(later);
    if (a === b) return;
    const [keep, drop] = a < b ? [a, b] : [b, a];
    parent[drop] = keep;
    if (!reasons.has(drop)) reasons.set(drop, { reason, similarity });
  };

  linkByKey(records, (r) => r.doi, 'doi', union);
  linkByKey(records, (r) => r.pmid, 'pmid', union);

  const titles = records.map((r) => normaliseTitle(r.title));
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    if (titles[index].length < MIN_FUZZY_TITLE_LENGTH) return;
    const author = record.authors.length > 0 ? normaliseName(familyName(record.authors[0])) : '';
    // Block on author + year; records without either fall back to the title's opening words.
    const key = author && record.year ? `${author}|${record.year}` : `t|${titles[index].split(' ').slice(0, 4).join(' ')}`;
    const block = blocks.get(key);
    if (block) block.push(index);
    else blocks.set(key, [index]);
  });
  const neighbourYear = (record: BibRecord): number[] => {
    if (!record.year || record.authors.length === 0) return [];
    const author = normaliseName(familyName(record.authors[0]));
    return blocks.get(`${author}|${record.year + 1}`) ?? [];
  };
  const bigrams = new Map<number, Map<string, number>>();
  const bigramsOf = (i: number) => {
    let grams = bigrams.get(i);
    if (!grams) bigrams.set(i, (grams = characterBigrams(titles[i])));
    return grams;
  };
  const compare = (i: number, j: number): void => {
    const [a, b] = i < j ? [i, j] : [j, i];
    if (find(a) === find(b) || conflictingIdentifiers(records[a], records[b])) return;
    // "Part 1" and "Part 2", or trials of different years, are different papers however alike.
    if (numbersOf(titles[a]) !== numbersOf(titles[b])) return;
    const similarity = titles[a] === titles[b] ? 1 : dice(bigramsOf(a), bigramsOf(b));
    if (similarity >= TITLE_SIMILARITY_THRESHOLD) union(a, b, 'title', round(similarity));
  };
  for (const block of blocks.values()) {
    for (let x = 0; x < block.length; x++) {
      for (let y = x + 1; y < block.length; y++) compare(block[x], block[y]);
      for (const other of neighbourYear(records[block[x]])) compare(block[x], other);
    }
  }

  const links: DuplicateLink[] = [];
  records.forEach((_, index) => {
    const root = find(index);
    if (root !== index) {
      const how = reasons.get(index) ?? { reason: 'title' as const };
      links.push({ index, duplicateOf: root, ...how });
    }
  });
  return links;
}

function linkByKey(
  records: readonly BibRecord[],
  key: (record: BibRecord) => string | undefined,
  reason: DuplicateReason,
  union: (earlier: number, later: number, reason: DuplicateReason) => void,
): void {
  const first = new Map<string, number>();
  records.forEach((record, index) => {
    const value = key(record);
    if (!value) return;
    const seen = first.get(value);
    if (seen === undefined) first.set(value, index);
    else union(seen, index, reason);
  });
}

function conflictingIdentifiers(a: BibRecord, b: BibRecord): boolean {
  return Boolean((a.doi && b.doi && a.doi !== b.doi) || (a.pmid && b.pmid && a.pmid !== b.pmid));
}

function numbersOf(title: string): string {
  return (title.match(/\d+/g) ?? []).join(' ');
}

function characterBigrams(text: string): Map<string, number> {
  const grams = new Map<string, number>();
  for (let i = 0; i < text.length - 1; i++) {
    const gram = text.slice(i, i + 2);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

/** Sørensen–Dice coefficient over bigram multisets. */
export function dice(a: Map<string, number>, b: Map<string, number>): number {
  let sizeA = 0;
  let sizeB = 0;
  let shared = 0;
  for (const count of a.values()) sizeA += count;
  for (const [gram, count] of b) {
    sizeB += count;
    const other = a.get(gram);
    if (other) shared += Math.min(other, count);
  }
  return sizeA + sizeB === 0 ? 0 : (2 * shared) / (sizeA + sizeB);
}

export function titleSimilarity(a: string, b: string): number {
  return dice(characterBigrams(normaliseTitle(a)), characterBigrams(normaliseTitle(b)));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
