import { describe, expect, it } from 'vitest';
import { assignIds, baseRecordId, normaliseTitle } from '../../../src/screening/ids';
import { findDuplicates, titleSimilarity } from '../../../src/screening/dedup';
import { linkDuplicates } from '../../../src/screening/import-records';
import type { ParsedRecord } from '../../../src/screening/record';

function record(partial: Partial<ParsedRecord>, index = 0, file = 'a.ris'): ParsedRecord {
  return {
    title: 'Untitled',
    authors: [],
    keywords: [],
    type: 'journal-article',
    provenance: { file, format: 'ris', line: index + 1, index },
    ...partial,
  };
}

describe('stable ids', () => {
  it('prefers DOI, then PMID, then a content hash', () => {
    expect(baseRecordId(record({ doi: '10.1/x', pmid: '5' }))).toBe('doi:10.1/x');
    expect(baseRecordId(record({ pmid: '5' }))).toBe('pmid:5');
    expect(baseRecordId(record({ title: 'A study', year: 2020, authors: ['Smith, J'] }))).toMatch(/^ref:[0-9a-f]{12}$/);
  });

  it('ignores case, accents and punctuation in the hashed title, and position in the file', () => {
    const a = record({ title: 'Café  culture: a Study.', year: 2020, authors: ['Smith, J'] }, 0);
    const b = record({ title: 'cafe culture - a study', year: 2020, authors: ['Smith, John'] }, 7, 'b.ris');
    expect(baseRecordId(a)).toBe(baseRecordId(b));
    expect(normaliseTitle('Café  culture: a Study.')).toBe('cafe culture a study');
  });

  it('changes when title, year or first author change', () => {
    const base = record({ title: 'A study', year: 2020, authors: ['Smith, J'] });
    expect(baseRecordId({ ...base, year: 2021 })).not.toBe(baseRecordId(base));
    expect(baseRecordId({ ...base, authors: ['Jones, J'] })).not.toBe(baseRecordId(base));
    expect(baseRecordId({ ...base, title: 'Another study' })).not.toBe(baseRecordId(base));
  });

  it('disambiguates shared ids deterministically, independent of record order', () => {
    const one = record({ doi: '10.1/x', title: 'First version' }, 0);
    const two = record({ doi: '10.1/x', title: 'Second version' }, 1);
    const forward = assignIds([one, two]);
    const reversed = assignIds([{ ...two, provenance: { ...two.provenance, index: 0 } }, { ...one, provenance: { ...one.provenance, index: 1 } }]);
    const idOf = (records: typeof forward, title: string) => records.find((r) => r.title === title)!.id;
    expect(new Set(forward.map((r) => r.id)).size).toBe(2);
    expect(idOf(forward, 'First version')).toBe(idOf(reversed, 'First version'));
    expect(idOf(forward, 'Second version')).toBe(idOf(reversed, 'Second version'));
    expect([idOf(forward, 'First version'), idOf(forward, 'Second version')].sort()).toEqual(['doi:10.1/x', 'doi:10.1/x~2']);
  });
});

describe('deduplication', () => {
  const title = 'Barriers to somatic health care for persons with severe mental illness in Belgium';

  it('links exact DOI and PMID duplicates to the earliest record', () => {
    const records = assignIds([
      record({ title, doi: '10.1/a', year: 2022 }, 0),
      record({ title: 'Different title entirely here', pmid: '99' }, 1),
      record({ title, doi: '10.1/a' }, 2, 'b.nbib'),
      record({ title: 'Different title entirely here.', pmid: '99' }, 3, 'b.nbib'),
    ]);
    const links = findDuplicates(records);
    expect(links).toEqual([
      { index: 2, duplicateOf: 0, reason: 'doi' },
      { index: 3, duplicateOf: 1, reason: 'pmid' },
    ]);
  });

  it('links likely duplicates by title, year and first author, tolerating small differences', () => {
    const records = assignIds([
      record({ title: `${title}.`, year: 2022, authors: ['Kohn, L'] }, 0),
      record({ title: title.toUpperCase(), year: 2022, authors: ['Kohn, Laurence'] }, 1, 'b.bib'),
      record({ title: `${title}: a qualitative study`, year: 2022, authors: ['Kohn, L'] }, 2, 'c.bib'),
      record({ title: title.replace('somatic', 'somatc'), year: 2021, authors: ['Kohn, L'] }, 3, 'd.csv'),
    ]);
    const links = findDuplicates(records);
    expect(links.map((l) => [l.index, l.duplicateOf, l.reason])).toEqual([
      [1, 0, 'fields'],
      [3, 0, 'fields'],
    ]);
    expect(titleSimilarity(title, `${title}: a qualitative study`)).toBeLessThan(0.9);
  });

  it('never merges records whose DOIs differ, nor different authors or distant years', () => {
    const records = assignIds([
      record({ title, year: 2022, authors: ['Kohn, L'], doi: '10.1/a' }, 0),
      record({ title, year: 2022, authors: ['Kohn, L'], doi: '10.1/b' }, 1),
      record({ title, year: 2022, authors: ['Smith, L'] }, 2),
      record({ title, year: 2019, authors: ['Kohn, L'] }, 3),
    ]);
    expect(findDuplicates(records)).toEqual([]);
  });

  it('reports duplicates without dropping them', () => {
    const outcome = linkDuplicates(assignIds([record({ title, doi: '10.1/a' }, 0), record({ title, doi: '10.1/a' }, 1, 'b.ris')]));
    expect(outcome.records).toHaveLength(1);
    expect(outcome.duplicates).toHaveLength(1);
    expect(outcome.duplicates[0].duplicateOf).toBe(outcome.records[0].id);
    expect(outcome.duplicates[0].provenance.file).toBe('b.ris');
  });

  it('stays fast on 50,000 records', () => {
    const words = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau'.split(' ');
    const many: ParsedRecord[] = [];
    for (let i = 0; i < 50_000; i++) {
      const t = `${words[i % 19]} ${words[(i * 7) % 19]} ${words[(i * 13) % 19]} trial number ${i}`;
      many.push(record({ title: t, year: 2000 + (i % 20), authors: [`Author${i % 500}, A`] }, i));
    }
    const links = findDuplicates(assignIds(many));
    expect(links).toEqual([]);
  });
});

describe('id stability across imports', () => {
  it('a later import never renames the ids of records imported before', () => {
    const early = record({ doi: '10.1/x', title: 'Seen first' }, 0, 'z-first.ris');
    const later = record({ doi: '10.1/x', title: 'Seen later' }, 0, 'a-later.ris');
    const before = assignIds([early]);
    const after = assignIds([early, later]);
    expect(after[0].id).toBe(before[0].id);
    expect(after[1].id).toBe('doi:10.1/x~2');
  });
});
