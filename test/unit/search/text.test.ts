import { describe, expect, it } from 'vitest';
import { osaDistance } from '../../../src/screening/search/edit-distance';
import { SearchIndex, type SearchableRecord } from '../../../src/screening/search/engine';
import { parseQuery, parseYearRange } from '../../../src/screening/search/query';
import { allowedEdits, foldTerm, MAX_TERM_LENGTH, scanTokens, tokenize } from '../../../src/screening/search/tokenize';
import { TermTrie } from '../../../src/screening/search/trie';
import { corpusSearchRecords, labeledCorpusAvailable, seededRandom } from './corpus';

const TRICKY = [
  'Müller, Jürgen',
  'ÆTHER and Straße, İstanbul; ΟΔΟΣ',
  'naïve naive NAÏVE',
  'café\u0301 e\u0301te\u0301 \u0301abc \u0301',
  '𝐀𝐁𝐂 maths letters and emoji 😀 between',
  'COVID-19 SARS-CoV-2 5-HT2A IL-6',
  'x'.repeat(60) + ' ' + 'Y'.repeat(70) + ' ' + 'é'.repeat(80) + ' ' + 'ab'.repeat(30) + 'É',
  'en–dash—em‘quotes’ “double” non\u00a0breaking',
  'ﬁne ligature ½ fractions ²',
];

describe('tokenize', () => {
  it('lowers, folds accents and splits on non-alphanumerics, with offsets into the original', () => {
    expect(tokenize('Müller, Jürgen')).toEqual(['muller', 'jurgen']);
    expect(tokenize('COVID-19: a Straße')).toEqual(['covid', '19', 'a', 'strasse']);
    expect(tokenize("O'Hara's naïve café\u0301")).toEqual(['o', 'hara', 's', 'naive', 'cafe']);
    expect(foldTerm('ΟΔΟΣ')).toBe('οδοσ');
    const spans: [string, string][] = [];
    const text = 'Très  Bien—ça va';
    scanTokens(text, (term, start, end) => spans.push([term, text.slice(start, end)]));
    expect(spans).toEqual([
      ['tres', 'Très'],
      ['bien', 'Bien'],
      ['ca', 'ça'],
      ['va', 'va'],
    ]);
    expect(tokenize('x'.repeat(100))[0]).toHaveLength(MAX_TERM_LENGTH);
  });

  it('applies the typo rule by length', () => {
    expect([1, 3, 4, 7, 8, 20].map(allowedEdits)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('the indexer tokenises exactly as scanTokens does (tricky text and real abstracts)', () => {
    const records: SearchableRecord[] = TRICKY.map((text, i) => ({ id: `t${i}`, title: text, abstract: `${text} ${text.toUpperCase()}`, authors: [text], keywords: [text] }));
    if (labeledCorpusAvailable) records.push(...corpusSearchRecords(1500, 3));
    const index = new SearchIndex(records);
    const df = new Map<string, number>();
    for (const record of records) {
      const terms = new Set<string>();
      for (const text of [record.title, record.abstract ?? '', ...record.authors, ...record.keywords]) for (const term of tokenize(text)) terms.add(term);
      for (const term of terms) df.set(term, (df.get(term) ?? 0) + 1);
    }
    const mismatches: string[] = [];
    for (const [term, count] of df) if (index.documentFrequency(term) !== count) mismatches.push(`${term}: ${index.documentFrequency(term)} != ${count}`);
    expect(mismatches).toEqual([]);
    expect([...index.terms()].filter((t) => !df.has(t))).toEqual([]);
  });
});

describe('osaDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(osaDistance('depression', 'depression')).toBe(0);
    expect(osaDistance('depression', 'depresion')).toBe(1);
    expect(osaDistance('depression', 'depressoin')).toBe(1);
    expect(osaDistance('depression', 'depresison')).toBe(1);
    expect(osaDistance('kitten', 'sitting')).toBe(3);
    expect(osaDistance('ca', 'abc')).toBe(3); // restricted: no edit inside a transposition
    expect(osaDistance('abcdef', 'xyzdef', 1)).toBe(2); // capped at max + 1
    expect(osaDistance('', 'abc')).toBe(3);
  });
});

describe('TermTrie', () => {
  it('finds exactly the terms within k edits (checked against brute force) and by prefix', () => {
    const random = seededRandom(5);
    const vocabulary = labeledCorpusAvailable
      ? [...new Set(corpusSearchRecords(800, 9).flatMap((r) => tokenize(`${r.title} ${r.abstract}`)))]
      : ['depression', 'depressive', 'expression', 'impression', 'repression', 'press', 'dress', 'cancer', 'canker', 'cancers'];
    const trie = new TermTrie();
    vocabulary.forEach((term, id) => trie.insert(term, id));
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    let compared = 0;
    for (let k = 0; k < 150; k++) {
      let word = vocabulary[Math.floor(random() * vocabulary.length)];
      const at = Math.floor(random() * word.length);
      if (random() < 0.7) word = word.slice(0, at) + letters[Math.floor(random() * 26)] + word.slice(at + 1);
      const edits = Math.max(1, allowedEdits(word.length));
      const expected = vocabulary
        .map((term) => [term, osaDistance(word, term, edits)] as const)
        .filter(([, d]) => d <= edits)
        .map(([t, d]) => `${t}:${d}`)
        .sort();
      const found: string[] = [];
      trie.fuzzy(word, edits, (id, d) => found.push(`${vocabulary[id]}:${d}`));
      expect(found.sort()).toEqual(expected);
      compared++;
      const prefix = word.slice(0, 3);
      const byPrefix: string[] = [];
      trie.withPrefix(prefix, (id) => byPrefix.push(vocabulary[id]));
      expect(byPrefix.sort()).toEqual(vocabulary.filter((t) => t.startsWith(prefix)).sort());
    }
    expect(compared).toBe(150);
  });
});

describe('parseQuery', () => {
  it('reads words, phrases, exclusions, fields and years', () => {
    const { clauses, warnings } = parseQuery('Depression "mental health" -placebo -"case report" title:ssri au:smith year:2010-2015 kw:covid-19 fluox');
    expect(warnings).toEqual([]);
    expect(clauses).toEqual([
      { kind: 'word', term: 'depression', fields: undefined, negated: false, fuzzy: true, prefix: false, author: false },
      { kind: 'phrase', terms: ['mental', 'health'], fields: undefined, negated: false },
      { kind: 'word', term: 'placebo', fields: undefined, negated: true, fuzzy: false, prefix: false, author: false },
      { kind: 'phrase', terms: ['case', 'report'], fields: undefined, negated: true },
      { kind: 'word', term: 'ssri', fields: ['title'], negated: false, fuzzy: true, prefix: false, author: false },
      { kind: 'word', term: 'smith', fields: ['authors'], negated: false, fuzzy: true, prefix: false, author: true },
      { kind: 'year', from: 2010, to: 2015, negated: false },
      { kind: 'phrase', terms: ['covid', '19'], fields: ['keywords'], negated: false },
      { kind: 'word', term: 'fluox', fields: undefined, negated: false, fuzzy: true, prefix: true, author: false },
    ]);
  });

  it('treats the last word as a prefix only while it is being typed', () => {
    const last = (q: string) => parseQuery(q).clauses.at(-1);
    expect(last('mental heal')).toMatchObject({ term: 'heal', prefix: true });
    expect(last('mental heal ')).toMatchObject({ term: 'heal', prefix: false });
    expect(last('"mental heal"')).toMatchObject({ kind: 'phrase' });
    expect(last('"heal"')).toMatchObject({ term: 'heal', prefix: false, fuzzy: false });
    expect(last('-heal')).toMatchObject({ term: 'heal', prefix: false, negated: true });
    expect(parseQuery('mental heal', false).clauses.at(-1)).toMatchObject({ prefix: false });
  });

  it('keeps unknown field names as text and warns about bad years', () => {
    expect(parseQuery('ratio:2').clauses).toEqual([{ kind: 'phrase', terms: ['ratio', '2'], fields: undefined, negated: false }]);
    expect(parseQuery('year:abc').warnings).toHaveLength(1);
    expect(parseQuery('"unclosed phrase').clauses).toEqual([{ kind: 'phrase', terms: ['unclosed', 'phrase'], fields: undefined, negated: false }]);
    expect(parseQuery('   ').clauses).toEqual([]);
  });

  it('reads year ranges', () => {
    expect(parseYearRange('2010')).toEqual({ from: 2010, to: 2010 });
    expect(parseYearRange('2015-2010')).toEqual({ from: 2010, to: 2015 });
    expect(parseYearRange('2010..2015')).toEqual({ from: 2010, to: 2015 });
    expect(parseYearRange('2010–2015')).toEqual({ from: 2010, to: 2015 });
    expect(parseYearRange('>2010')).toEqual({ from: 2011, to: 9999 });
    expect(parseYearRange('<=2010')).toEqual({ from: 0, to: 2010 });
    expect(parseYearRange('-2010')).toEqual({ from: 0, to: 2010 });
    expect(parseYearRange('20')).toBeUndefined();
  });
});
