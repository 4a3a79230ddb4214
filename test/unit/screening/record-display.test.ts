import { describe, expect, it } from 'vitest';
import { authorYear, displayTitle, doiUrl, listDescription, pubmedUrl, snippetAround, textStart, webUrl } from '../../../src/screening/record-display';
import { uniqueFileName, withReason, withSources, suggestSources } from '../../../src/screening/source-catalogue';
import { defaultConfig } from '../../../src/screening/review-config';

describe('record display', () => {
  it('names records for lists', () => {
    expect(displayTitle({ title: '  A\n title  ' })).toBe('A title');
    expect(displayTitle({ title: ' ' }, 'untitled')).toBe('untitled');
    expect(authorYear({ authors: ['Kohn, Laurence', 'Christiaens, Wendy', 'Detraux, Johan'], year: 2022 })).toBe('Kohn et al. · 2022');
    expect(authorYear({ authors: ['M. Storm', 'K. L. Fortuna'] })).toBe('Storm & Fortuna');
    expect(authorYear({ authors: [], year: 2019 })).toBe('2019');
    expect(textStart('one two three four', 9)).toBe('one two…');
  });

  it('describes an untitled record by its PMID, else its DOI, else where it came from', () => {
    const provenance = { file: 'sources/antihistamines.csv', line: 171 };
    expect(listDescription({ title: '', authors: [], pmid: ' 10557567 ', doi: '10.1/x', provenance })).toBe('PMID 10557567');
    expect(listDescription({ title: ' ', authors: ['Reimer, E J'], year: 1999, doi: '10.1/x', provenance })).toBe('Reimer · 1999 · DOI 10.1/x');
    expect(listDescription({ title: '', authors: [], provenance })).toBe('sources/antihistamines.csv:171');
    expect(listDescription({ title: '', authors: [] })).toBe('');
    // A titled record keeps the plain author and year.
    expect(listDescription({ title: 'Loratadine versus placebo', authors: ['Reimer, E J'], year: 1999, pmid: '1', provenance })).toBe('Reimer · 1999');
  });

  it('builds identifier links and refuses anything but http(s)', () => {
    expect(doiUrl('10.3389/fpsyt.2021.798530')).toBe('https://doi.org/10.3389/fpsyt.2021.798530');
    expect(doiUrl('https://doi.org/10.1002/(SICI)1097-0258<1::AID>3.0.CO;2-#')).toBe('https://doi.org/10.1002/(SICI)1097-0258%3C1%3A%3AAID%3E3.0.CO%3B2-%23');
    expect(doiUrl('not a doi')).toBeUndefined();
    expect(pubmedUrl('31234567')).toBe('https://pubmed.ncbi.nlm.nih.gov/31234567/');
    expect(pubmedUrl('javascript:alert(1)')).toBeUndefined();
    expect(webUrl('javascript:alert(1)')).toBeUndefined();
    expect(webUrl('file:///etc/passwd')).toBeUndefined();
    expect(webUrl('https://example.org/a b')).toBeUndefined();
    expect(webUrl('https://example.org/page?x=1')).toBe('https://example.org/page?x=1');
  });

  it('shows the passage around the first match with the matched words marked', () => {
    const text = 'A huge and still growing mortality gap exists. Disparities in somatic health care access contribute to poor outcomes for people.';
    const start = text.indexOf('somatic');
    expect(snippetAround(text, [[start, start + 7]], 60)).toBe('…Disparities in «somatic» health care access contribute to poor…');
    expect(snippetAround('short text', [], 60)).toBe('short text');
  });
});

describe('sources', () => {
  it('adds sources and reasons to the review settings without touching the rest', () => {
    const config = defaultConfig([{ file: 'a.ris', category: 'database', name: 'a' }]);
    const next = withSources(config, [
      { file: 'sources/medline.nbib', category: 'database', name: 'MEDLINE' },
      { file: 'a.ris', category: 'register', name: ' ClinicalTrials.gov ' },
    ]);
    expect(next.added).toEqual(['sources/medline.nbib']);
    expect(next.updated).toEqual(['a.ris']);
    expect(next.config.sources).toEqual([
      { file: 'a.ris', category: 'register', name: 'ClinicalTrials.gov' },
      { file: 'sources/medline.nbib', category: 'database', name: 'MEDLINE' },
    ]);
    expect(config.sources).toEqual([{ file: 'a.ris', category: 'database', name: 'a' }]);
    const withNew = withReason(config, 'title-abstract', '  Animal   study ');
    expect(withNew.stages['title-abstract'].reasons.at(-1)).toBe('Animal study');
    expect(withReason(withNew, 'title-abstract', 'animal STUDY')).toBe(withNew);
  });

  it('suggests the database a file name mentions first, and finds free file names', () => {
    expect(suggestSources('embase-2026-01.ris')[0].name).toBe('Embase');
    expect(suggestSources('x.txt', 'wos')[0].name).toBe('Web of Science');
    expect(uniqueFileName('a.ris', ['A.RIS', 'a-2.ris'])).toBe('a-3.ris');
    expect(uniqueFileName('b.ris', ['a.ris'])).toBe('b.ris');
  });
});
