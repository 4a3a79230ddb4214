/**
 * The quality bar on real text: typo queries (one or two edits applied to real words, at
 * lengths where the rule allows that many) find every record holding the original word, and the top
 * 10 for the exact word all hold it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { osaDistance } from '../../../src/screening/search/edit-distance';
import { SearchIndex, type SearchableRecord } from '../../../src/screening/search/engine';
import { allowedEdits, tokenize } from '../../../src/screening/search/tokenize';
import { corpusSearchRecords, labeledCorpusAvailable, seededRandom } from './corpus';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function applyEdit(word: string, random: () => number): string {
  const at = Math.floor(random() * word.length);
  const letter = LETTERS[Math.floor(random() * LETTERS.length)];
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, at) + letter + word.slice(at + 1); // substitution
    case 1:
      return word.slice(0, at) + letter + word.slice(at); // insertion
    case 2:
      return word.slice(0, at) + word.slice(at + 1); // deletion
    default:
      return at + 1 < word.length ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word.slice(0, at) + letter; // transposition
  }
}

describe.skipIf(!labeledCorpusAvailable)('search quality on the labeled corpus', () => {
  let records: SearchableRecord[];
  let index: SearchIndex;
  const holders = new Map<string, Set<string>>();

  beforeAll(() => {
    records = corpusSearchRecords(5000);
    index = new SearchIndex(records);
    for (const record of records) {
      const terms = new Set<string>();
      for (const text of [record.title, record.abstract ?? '', ...record.authors, ...record.keywords]) for (const term of tokenize(text)) terms.add(term);
      for (const term of terms) {
        let set = holders.get(term);
        if (!set) holders.set(term, (set = new Set()));
        set.add(record.id);
      }
    }
  });

  function typoQueries(edits: 1 | 2, count: number, seed: number): { word: string; typo: string }[] {
    const random = seededRandom(seed);
    const words = [...holders.keys()].filter((w) => /^[a-z]+$/.test(w) && w.length >= (edits === 1 ? 4 : 8) && (holders.get(w)?.size ?? 0) >= 3).sort();
    const queries: { word: string; typo: string }[] = [];
    const seen = new Set<string>();
    while (queries.length < count) {
      const word = words[Math.floor(random() * words.length)];
      let typo = word;
      for (let k = 0; k < edits; k++) typo = applyEdit(typo, random);
      const distance = osaDistance(word, typo);
      // Keep typos that really are `edits` edits away and typed at a length where the rule allows them.
      if (distance !== edits || allowedEdits(typo.length) < edits || seen.has(typo)) continue;
      seen.add(typo);
      queries.push({ word, typo });
    }
    return queries;
  }

  it.each([
    [1, 150, 11],
    [2, 150, 12],
  ] as const)('typo queries with %i edit(s): results hold every record with the original word (recall >= 0.98)', (edits, count, seed) => {
    const queries = typoQueries(edits, count, seed);
    let expected = 0;
    let found = 0;
    const misses: string[] = [];
    for (const { word, typo } of queries) {
      const truth = holders.get(word) as Set<string>;
      const results = new Set(index.search(typo).results.map((r) => r.id));
      let hit = 0;
      for (const id of truth) if (results.has(id)) hit++;
      expected += truth.size;
      found += hit;
      if (hit < truth.size) misses.push(`${typo} (${word}): ${hit}/${truth.size}`);
    }
    const recall = found / expected;
    console.info(`${edits}-edit typo queries: recall ${recall.toFixed(4)} (${found}/${expected} record matches over ${queries.length} queries)`);
    expect(queries.length).toBe(count);
    expect(recall, misses.join('; ')).toBeGreaterThanOrEqual(0.98);
  });

  it('ranks records holding the exact word first (top 10)', () => {
    const random = seededRandom(13);
    const words = [...holders.keys()].filter((w) => /^[a-z]+$/.test(w) && w.length >= 4 && (holders.get(w)?.size ?? 0) >= 10).sort();
    let checked = 0;
    const wrong: string[] = [];
    for (let k = 0; k < 200; k++) {
      const word = words[Math.floor(random() * words.length)];
      const truth = holders.get(word) as Set<string>;
      const top = index.search(word).results.slice(0, 10);
      expect(top).toHaveLength(10);
      for (const result of top) if (!truth.has(result.id)) wrong.push(`${word}: ${result.id}`);
      checked++;
    }
    expect(checked).toBe(200);
    expect(wrong).toEqual([]);
  });

  it('multi-word, phrase and prefix queries agree with a brute-force scan', () => {
    const random = seededRandom(14);
    for (let k = 0; k < 40; k++) {
      const record = records[Math.floor(random() * records.length)];
      const words = tokenize(record.title).filter((w) => w.length >= 4);
      if (words.length < 2) continue;
      const [a, b] = words;
      // Exact words only (quoted), both required.
      const both = [...(holders.get(a) as Set<string>)].filter((id) => holders.get(b)?.has(id)).sort();
      expect(index.search(`"${a}" "${b}"`).results.map((r) => r.id).sort()).toEqual(both);
      // A phrase from the title finds at least that record, and only records whose text has the words in order.
      const titleTerms = tokenize(record.title);
      const phrase = titleTerms.slice(0, 2);
      const phraseResults = index.search(`"${phrase.join(' ')}"`).results.map((r) => r.id);
      expect(phraseResults).toContain(record.id);
      for (const id of phraseResults.slice(0, 20)) {
        const other = records.find((r) => r.id === id) as SearchableRecord;
        const texts = [other.title, other.abstract ?? '', ...other.authors, ...other.keywords].map((t) => ` ${tokenize(t).join(' ')} `);
        expect(texts.some((t) => t.includes(` ${phrase.join(' ')} `))).toBe(true);
      }
      // A prefix finds every record holding a term that starts with it.
      const prefix = a.slice(0, 4);
      const withPrefix = new Set<string>();
      for (const [term, ids] of holders) if (term.startsWith(prefix)) for (const id of ids) withPrefix.add(id);
      const prefixResults = new Set(index.search(prefix).results.map((r) => r.id));
      for (const id of withPrefix) expect(prefixResults.has(id)).toBe(true);
    }
  });
});
