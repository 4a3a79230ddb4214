import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/parsers/index';
import { medlineImporter } from '../../../src/parsers/medline';

const parse = (text: string) => medlineImporter.parse(text, 'test.nbib');

const RECORD = [
  'PMID- 28441597',
  'OWN - NLM',
  'STAT- PubMed-not-MEDLINE',
  'IS  - 0048-9697 (Linking)',
  'VI  - 598',
  'IP  - 2',
  'DP  - 2017 Nov 15',
  'TI  - Differences in nitrate and phosphorus export between wooded and grassed riparian',
  '      zones from farmland.',
  'PG  - 188-97',
  'LID - S0048-9697(17)30912-9 [pii]',
  'LID - 10.1016/j.scitotenv.2017.04.075 [doi]',
  'AB  - Agricultural activities in catchments can cause excessive nutrient loads in',
  '      waterways.',
  'FAU - Neilen, Amanda D',
  'AU  - Neilen AD',
  'AD  - Australian Rivers Institute, Griffith University,',
  '      Nathan, Australia.',
  'FAU - Chen, Chengrong R',
  'AU  - Chen CR',
  'LA  - eng',
  'PT  - Journal Article',
  'TA  - Sci Total Environ',
  'JT  - The Science of the total environment',
  'OT  - Buffer strips',
  'MH  - Humans',
].join('\n');

describe('MEDLINE', () => {
  it('reads the fields, joining continuation lines and preferring full author names', () => {
    const { records, problems } = parse(RECORD);
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      title: 'Differences in nitrate and phosphorus export between wooded and grassed riparian zones from farmland.',
      authors: ['Neilen, Amanda D', 'Chen, Chengrong R'],
      year: 2017,
      journal: 'The Science of the total environment',
      volume: '598',
      issue: '2',
      pages: '188-197',
      doi: '10.1016/j.scitotenv.2017.04.075',
      pmid: '28441597',
      abstract: 'Agricultural activities in catchments can cause excessive nutrient loads in waterways.',
      keywords: ['Buffer strips', 'Humans'],
      type: 'journal-article',
      provenance: { line: 1, index: 0, format: 'medline' },
    });
    expect(records[0].metadata?.AD).toBe('Australian Rivers Institute, Griffith University, Nathan, Australia.');
  });

  it('uses the short author form when there is no FAU, and a PMID line starts a new record', () => {
    const { records } = parse('PMID- 1\nTI  - One\nAU  - Kohn L\nPMID- 2\nTI  - Two\n');
    expect(records.map((r) => [r.pmid, r.title, r.authors])).toEqual([
      ['1', 'One', ['Kohn, L']],
      ['2', 'Two', []],
    ]);
    expect(records[1].provenance.line).toBe(4);
  });

  it('separates records by blank lines, reports stray lines and keeps records without a title or PMID', () => {
    const { records, problems } = parse('\nOWN - ERIC\nTI  - Paper title\nAID - http://dx.doi.org/10.1000/123456789\n\nThis line is junk.\n\nPMID-22664238\nSO  invalid line\nJT  - Some journal\n');
    expect(records.map((r) => r.title)).toEqual(['Paper title', '']);
    expect(records[0].doi).toBe('10.1000/123456789');
    expect(records[1]).toMatchObject({ pmid: '22664238', journal: 'Some journal' });
    expect(problems.map((p) => p.line)).toEqual([6, 9, 8]);
  });

  it('is told from RIS by its tags, even with a .ris name', () => {
    const result = importText(RECORD, 'pubmed.ris');
    expect(result.format).toBe('medline');
    expect(importText('OWN - ERIC\nTI  - Title\nAU  - Smith, Tom\nDP  - 2000\n', 'eric.nbib').format).toBe('medline');
  });

  it('takes the first abstract of repeated AB tags', () => {
    expect(parse('PMID- 1\nTI  - T\nAB  - Old Abstract\nAB  - new abstract\n').records[0].abstract).toBe('Old Abstract');
  });
});
