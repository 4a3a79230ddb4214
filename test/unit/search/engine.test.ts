import { describe, expect, it } from 'vitest';
import { SearchCancelled, SearchIndex, type SearchableRecord } from '../../../src/screening/search/engine';

function rec(id: string, fields: Partial<SearchableRecord> = {}): SearchableRecord {
  return { id, title: '', authors: [], keywords: [], ...fields };
}

const RECORDS: SearchableRecord[] = [
  rec('a', { title: 'Mental health of adolescents after the pandemic', abstract: 'We surveyed adolescents about depression and anxiety.', authors: ['Smith, John', "O'Hara, Mary"], year: 2012, keywords: ['COVID-19', 'Adolescence'] }),
  rec('b', { title: 'Health services for mental illness', abstract: 'Mental services and health policy: a review of placebo-controlled trials.', authors: ['Smyth, Anne'], year: 2008 }),
  rec('c', { title: 'Fluoxetine versus placebo in major depression', abstract: 'A randomised controlled trial of fluoxetine in adults with depression.', authors: ['Müller, Jürgen'], year: 2015, keywords: ['SSRI'] }),
  rec('d', { title: 'Exercise for depression', abstract: 'Exercise improves depressive symptoms. Mental health benefits were large.', authors: ['Chaikovsky, Ivan'], year: 2020 }),
  rec('e', { title: 'Antipsychotic drugs and weight gain', abstract: 'Antipsychotics such as olanzapine cause weight gain in schizophrenia.', authors: ['Lee, K'], year: 2010 }),
  rec('f', { title: 'Cancer screening', abstract: 'Screening for canker and cancers.', authors: ['Smith, Jane'], fullText: 'The full text mentions fluoxetine once.' }),
];

function ids(index: SearchIndex, query: string, options = {}): string[] {
  return index.search(query, options).results.map((r) => r.id);
}

describe('SearchIndex', () => {
  const index = new SearchIndex(RECORDS);

  it('finds words in any field, all words required', () => {
    expect(ids(index, 'depression').sort()).toEqual(['a', 'c', 'd']);
    expect(ids(index, 'depression exercise ')).toEqual(['d']);
    expect(index.search('depression').total).toBe(3);
  });

  it('ranks title matches above abstract-only matches', () => {
    const results = index.search('depression ').results;
    expect(results.map((r) => r.id).slice(0, 2).sort()).toEqual(['c', 'd']);
    expect(results[2].id).toBe('a');
    for (const r of results) expect(r.score).toBeGreaterThan(0);
  });

  it('tolerates typos by the edit rule and ranks exact matches first', () => {
    expect(ids(index, 'depresion ')).toEqual(expect.arrayContaining(['a', 'c', 'd'])); // 9 letters, one deletion
    expect(ids(index, 'fluoxetnie ').sort()).toEqual(['c', 'f']); // transposition
    expect(ids(index, 'flouxetien ').sort()).toEqual(['c', 'f']); // two edits, 10 letters
    expect(ids(index, 'helth ').sort()).toEqual(['a', 'b', 'd']); // 5 letters, one edit
    expect(ids(index, 'hlth ')).toEqual([]); // 4 letters, two edits: not allowed
    expect(ids(index, 'lee ')).toEqual(['e']);
    expect(ids(index, 'lea ')).toEqual([]); // 3 letters: exact only
    const cancer = index.search('cancer ').results;
    expect(cancer[0]).toMatchObject({ id: 'f', penalty: 0 });
    const canker = index.expand('cancer');
    expect(canker).toEqual(expect.arrayContaining([['cancer', 0], ['canker', 2], ['cancers', 2]]));
  });

  it('completes the last word as a prefix while typing', () => {
    expect(ids(index, 'antipsy')).toEqual(['e']);
    expect(ids(index, 'antipsy ')).toEqual([]);
    expect(ids(index, 'antipsy', { prefix: false })).toEqual([]);
    expect(ids(index, 'weight antipsych')).toEqual(['e']);
    const results = index.search('depress').results;
    expect(results.map((r) => r.id).sort()).toEqual(['a', 'c', 'd']);
    expect(results.every((r) => r.penalty <= 1)).toBe(true);
    // the exact word ranks above its completions
    expect(index.search('mental').results.map((r) => r.penalty)).toEqual([0, 0, 0]);
  });

  it('matches quoted phrases exactly', () => {
    expect(ids(index, '"mental health"').sort()).toEqual(['a', 'd']);
    expect(ids(index, 'mental health').sort()).toEqual(['a', 'b', 'd']);
    expect(ids(index, '"health mental"')).toEqual([]);
    expect(ids(index, '"placebo controlled"')).toEqual(['b']);
    expect(ids(index, 'covid-19')).toEqual(['a']);
    expect(ids(index, '"Jürgen"')).toEqual(['c']);
    expect(ids(index, '"muller jurgen"')).toEqual(['c']);
    expect(ids(index, '"mental healt')).toEqual([]); // phrases are exact, even unclosed
  });

  it('excludes words and phrases with a minus', () => {
    expect(ids(index, 'depression -placebo').sort()).toEqual(['a', 'd']);
    expect(ids(index, 'health -"mental health"')).toEqual(['b']);
    expect(ids(index, '-depression').sort()).toEqual(['b', 'e', 'f']);
    expect(ids(index, 'depression -title:exercise').sort()).toEqual(['a', 'c']);
  });

  it('filters by field', () => {
    expect(ids(index, 'title:depression').sort()).toEqual(['c', 'd']);
    expect(ids(index, 'ti:"mental health"')).toEqual(['a']);
    expect(ids(index, 'abstract:mental').sort()).toEqual(['b', 'd']);
    expect(ids(index, 'kw:ssri')).toEqual(['c']);
    expect(ids(index, 'keyword:covid')).toEqual(['a']);
    expect(ids(index, 'fulltext:fluoxetine')).toEqual(['f']);
    expect(ids(index, 'fluoxetine')[0]).toBe('c'); // title beats full text
  });

  it('filters by year and year ranges', () => {
    expect(ids(index, 'year:2012')).toEqual(['a']);
    expect(ids(index, 'year:2010-2015').sort()).toEqual(['a', 'c', 'e']);
    expect(ids(index, 'year:2010..2015 depression').sort()).toEqual(['a', 'c']);
    expect(ids(index, 'year:>=2015').sort()).toEqual(['c', 'd']);
    expect(ids(index, 'year:<2010')).toEqual(['b']);
    expect(ids(index, 'year:2015-').sort()).toEqual(['c', 'd']);
    expect(ids(index, '-year:2000-2030')).toEqual(['f']);
    const bad = index.search('year:soon depression');
    expect(bad.warnings).toHaveLength(1);
    expect(bad.total).toBe(3);
  });

  it('matches author names with fuse.js, beyond the word typo rule', () => {
    expect(ids(index, 'author:smith').sort()).toEqual(expect.arrayContaining(['a', 'f']));
    expect(ids(index, 'author:smith')).not.toContain('c');
    expect(ids(index, 'author:smith').slice(0, 2).sort()).toEqual(['a', 'f']); // exact before Smyth
    expect(ids(index, 'author:smyth')[0]).toBe('b');
    expect(ids(index, 'author:tchaikovsky')).toEqual(['d']);
    expect(ids(index, 'au:muller')).toEqual(['c']);
    expect(ids(index, 'au:ohara')).toEqual(['a']);
    expect(ids(index, 'author:"smith john"')).toEqual(['a']);
    expect(ids(index, 'smith ').sort()).toEqual(['a', 'b', 'f']); // free words search authors too (and Smyth is one edit away)
    expect(ids(index, 'smith ')[2]).toBe('b');
  });

  it('relaxes to any word when no record has them all, and suggests terms for unknown words', () => {
    const response = index.search('olanzapine zebrafish ');
    expect(response.relaxed).toBe(true);
    expect(response.results.map((r) => r.id)).toEqual(['e']);
    const none = index.search('fluoxetinx zzzz ');
    expect(none.total).toBeGreaterThan(0); // fluoxetinx is one edit from fluoxetine
    const nothing = index.search('olanzapone ', { prefix: false });
    expect(nothing.total).toBe(1);
    const unknown = index.search('qqqq antipsychotik');
    expect(unknown.relaxed).toBe(true);
    const empty = index.search('xylophone');
    expect(empty.total).toBe(0);
    expect(empty.suggestions).toEqual([{ word: 'xylophone', terms: expect.any(Array) }]);
    expect(index.search('adolescens').suggestions).toEqual([]);
    expect(index.search('adolescnts zzzqqq').total).toBe(1);
    expect(index.suggest('fluxoetinne')).toContain('fluoxetine');
    expect(index.search('fulxoetien').suggestions).toEqual([{ word: 'fulxoetien', terms: expect.arrayContaining(['fluoxetine']) }]); // three edits
  });

  it('returns every record for an empty query, in import order', () => {
    expect(ids(index, '')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('gives match positions for one record on request', () => {
    const record = RECORDS[0];
    const positions = index.positions('a', 'mental helth adolesc')!;
    const show = (text: string, spans: [number, number][]) => spans.map(([s, e]) => text.slice(s, e));
    expect(show(record.title, positions.title)).toEqual(['Mental', 'health', 'adolescents']);
    expect(show(record.abstract!, positions.abstract)).toEqual(['adolescents']);
    expect(positions.authors).toEqual([[], []]);
    const phrase = index.positions('a', '"mental health" -adolescents author:ohara')!;
    expect(show(record.title, phrase.title)).toEqual(['Mental health']);
    expect(show(record.abstract!, phrase.abstract)).toEqual([]);
    expect(show(record.authors[1], phrase.authors[1])).toEqual(['Hara']);
    const accents = index.positions('c', 'jurgen muller')!;
    expect(show(RECORDS[2].authors[0], accents.authors[0])).toEqual(['Müller', 'Jürgen']);
    expect(index.positions('c', 'ssri')!.keywords).toEqual([[[0, 4]]]);
    expect(index.positions('nope', 'x')).toBeUndefined();
  });

  it('adds, replaces and removes records incrementally', () => {
    const live = new SearchIndex();
    live.add(RECORDS.slice(0, 3));
    expect(ids(live, 'exercise')).toEqual([]);
    live.add(RECORDS.slice(3));
    expect(ids(live, 'exercise')).toEqual(['d']);
    expect(live.size).toBe(6);
    live.add([rec('d', { title: 'Yoga for anxiety' })]);
    expect(live.size).toBe(6);
    expect(ids(live, 'exercise')).toEqual([]);
    expect(ids(live, 'yoga')).toEqual(['d']);
    expect(live.remove(['a', 'zzz'])).toBe(1);
    expect(ids(live, 'adolescents')).toEqual([]);
    expect(live.documentFrequency('adolescents')).toBe(0);
    expect(ids(live, 'adolescnts')).toEqual([]); // typo expansion skips terms with no records left
    expect(live.has('a')).toBe(false);
    expect(ids(live, '').sort()).toEqual(['b', 'c', 'd', 'e', 'f']);
    live.add([RECORDS[0]]);
    expect(ids(live, 'adolescents')).toEqual(['a']);
    // statistics match a fresh index of the same records, so scores do too
    const fresh = new SearchIndex([...RECORDS.slice(1, 3), rec('d', { title: 'Yoga for anxiety' }), ...RECORDS.slice(4), RECORDS[0]]);
    const score = (ix: SearchIndex) => Object.fromEntries(ix.search('depression anxiety', { match: 'any' }).results.map((r) => [r.id, r.score]));
    expect(score(live)).toEqual(score(fresh));
    live.compact();
    expect(live.stats().deleted).toBe(0);
    expect(score(live)).toEqual(score(fresh));
    live.clear();
    expect(live.size).toBe(0);
    expect(ids(live, 'depression')).toEqual([]);
  });

  it('can be cancelled between steps', () => {
    let polls = 0;
    expect(() => index.search('depression health', { shouldCancel: () => ++polls > 1 })).toThrow(SearchCancelled);
    expect(index.search('depression', { shouldCancel: () => false }).total).toBe(3);
  });

  it('reports statistics', () => {
    const stats = index.stats();
    expect(stats).toMatchObject({ records: 6, deleted: 0 });
    expect(stats.terms).toBeGreaterThan(50);
    expect(stats.postings).toBeGreaterThan(stats.terms);
    expect(stats.bytes).toBeGreaterThan(0);
  });
});
