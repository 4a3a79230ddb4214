/**
 * The import pipeline's ids and duplicate links after the speed-ups in src/screening (an ASCII path for
 * normaliseTitle; duplicate detection that caches per-record keys and skips pairs of records that both
 * have a DOI): the same results as the code they replaced, kept here as the reference, on random records
 * and on the whole corpus imported at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dice, findDuplicates, type DuplicateLink, type DuplicateReason } from '../../../src/screening/dedup';
import { assignIds, normaliseName, normaliseTitle } from '../../../src/screening/ids';
import { importBytes } from '../../../src/parsers/index';
import { familyName, type BibRecord, type ParsedRecord } from '../../../src/screening/record';
import { CORPUS_DIR, corpusAvailable, readManifest } from '../helpers/corpus';
import { seededRandom } from '../../../src/screening/ranking/random';

// ---- The code before (reference) ------------------------------------------------------------------

function normaliseTitleBefore(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function normaliseNameBefore(name: string): string {
  return normaliseTitleBefore(name).replace(/ /g, '');
}

const TITLE_SIMILARITY_THRESHOLD = 0.9;
const MIN_FUZZY_TITLE_LENGTH = 20;

function findDuplicatesBefore(records: readonly BibRecord[]): DuplicateLink[] {
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

  const titles = records.map((r) => normaliseTitleBefore(r.title));
  const blocks = new Map<string, number[]>();
  records.forEach((record, index) => {
    if (titles[index].length < MIN_FUZZY_TITLE_LENGTH) return;
    const author = record.authors.length > 0 ? normaliseNameBefore(familyName(record.authors[0])) : '';
    // Block on author + year; records without either fall back to the title's opening words.
    const key = author && record.year ? `${author}|${record.year}` : `t|${titles[index].split(' ').slice(0, 4).join(' ')}`;
    const block = blocks.get(key);
    if (block) block.push(index);
    else blocks.set(key, [index]);
  });
  const neighbourYear = (record: BibRecord): number[] => {
    if (!record.year || record.authors.length === 0) return [];
    const author = normaliseNameBefore(familyName(record.authors[0]));
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

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// ---- Tests ----------------------------------------------------------------------------------------


describe('normaliseTitle', () => {
  it('gives what the regex chain gave', () => {
    const random = seededRandom(11);
    const pieces = ['Study', 'of', 'the', 'Effect', 'A', 'b', '2', '19', ' ', '  ', '-', ':', '.', ',', '<i>', '</i>', '<', '>', '<sup>2</sup>', 'a<b', 'x>y', '_', '\t', '\n', 'é', 'Café', 'ﬁ', 'Ⅻ', '²', 'İ', 'ß', '研究', 'e\u0301', '\u00a0', '😀', "'", '"', '(', ')', '&amp;'];
    const titles = ['', ' ', 'A', 'Café  culture: a Study.', '<i>x</i>', 'a<b>c', '<<a>>', 'x <unclosed', '1.2.3'];
    for (let i = 0; i < 20_000; i++) titles.push(Array.from({ length: Math.floor(random() * 10) }, () => pieces[Math.floor(random() * pieces.length)]).join(random() < 0.7 ? ' ' : ''));
    for (const title of titles) {
      expect(normaliseTitle(title), JSON.stringify(title)).toBe(normaliseTitleBefore(title));
      expect(normaliseName(title), JSON.stringify(title)).toBe(normaliseNameBefore(title));
    }
  });
});

describe('findDuplicates', () => {
  it('links the same duplicates, for the same reasons, as before', () => {
    const random = seededRandom(5);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const titles = [
      'Effect of exercise on depression in older adults: a randomised trial',
      'Effect of exercise on depression in older adults - a randomized trial',
      'The effect of exercise on depression in older adults: a randomised trial.',
      'Effect of Exercise on Depression in Older Adults: A Randomised Trial (Part 2)',
      'Cognitive behavioural therapy for insomnia: a meta-analysis',
      'Cognitive behavioral therapy for insomnia: a meta-analysis',
      'Café culture and cardiovascular risk in 2019',
      'Cafe culture and cardiovascular risk in 2020',
      'Editorial',
      '<i>Helicobacter pylori</i> eradication and gastric cancer',
      'Helicobacter pylori eradication and gastric cancer',
    ];
    const authors = [[], ['Smith, J'], ['Smith, John'], ['Müller, K'], ['Muller, K'], ['van der Berg, A'], ['Anonymous'], ['Organisation for Health'], ['T, A'], ['T., B']];
    const reasons = new Set<DuplicateReason>();
    for (let round = 0; round < 30; round++) {
      const records: BibRecord[] = [];
      const n = 50 + Math.floor(random() * 250);
      for (let i = 0; i < n; i++) {
        const r = random();
        records.push({
          id: `r${i}`,
          title: pick(titles),
          authors: pick(authors),
          year: random() < 0.1 ? undefined : 2018 + Math.floor(random() * 4),
          doi: r < 0.4 ? undefined : r < 0.45 ? '' : `10.1/${Math.floor(random() * (round % 2 ? 30 : 300))}`,
          pmid: random() < 0.6 ? undefined : `${Math.floor(random() * 40)}`,
          keywords: [],
          type: 'journal-article',
          provenance: { file: 'a.ris', format: 'ris', line: i + 1, index: i },
        });
      }
      const links = findDuplicates(records);
      expect(links).toStrictEqual(findDuplicatesBefore(records));
      for (const link of links) reasons.add(link.reason);
    }
    expect([...reasons].sort()).toEqual(['doi', 'pmid', 'title']);
  });

  it.runIf(corpusAvailable)('on the whole corpus imported at once', () => {
    const parsed: ParsedRecord[] = [];
    for (const row of readManifest()) parsed.push(...importBytes(readFileSync(join(CORPUS_DIR, row.path)), row.path).records);
    expect(parsed.length).toBeGreaterThan(10_000);
    const records = assignIds(parsed);
    const links = findDuplicates(records);
    expect(links.length).toBeGreaterThan(1000);
    expect(links).toStrictEqual(findDuplicatesBefore(records));
  });
});
