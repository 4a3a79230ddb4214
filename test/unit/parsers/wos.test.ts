import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/parsers/index';
import { wosImporter } from '../../../src/parsers/wos';

const parse = (text: string) => wosImporter.parse(text, 'savedrecs.txt');

const FILE = [
  '\ufeffFN Clarivate Analytics Web of Science',
  'VR 1.0',
  'PT J',
  'AU Stillman, AN',
  '   Siegel, RB',
  'AF Stillman, Andrew N. (andrew.stillman@uconn.edu)',
  '   Siegel, Rodney B.',
  'TI Nest site selection and nest survival of Black-backed Woodpeckers after',
  '   wildfire',
  'SO CONDOR',
  'DT Article',
  'DE Picoides arcticus; wildfire',
  'ID HABITAT',
  'AB Recently burned coniferous forests host wildlife communities that',
  '   respond to variation in burn severity.',
  'PY 2019',
  'VL 121',
  'IS 3',
  'BP 45',
  'EP 53',
  'DI 10.1093/condor/duz039',
  'PM 31234567',
  'UT WOS:000478987100001',
  'ER',
  '',
  'PT B',
  'AU Smith, WG',
  'TI Ecological anthropology of households',
  'SO Ecological anthropology of households',
  'PY 2011',
  'ER',
  '',
  'EF',
].join('\n');

describe('Web of Science', () => {
  it('reads the fields, with list continuations as values and text continuations joined', () => {
    const result = importText(FILE, 'savedrecs.txt');
    expect(result.format).toBe('wos');
    expect(result.problems).toEqual([]);
    expect(result.records).toHaveLength(2);
    expect(result.records[0]).toMatchObject({
      title: 'Nest site selection and nest survival of Black-backed Woodpeckers after wildfire',
      authors: ['Stillman, Andrew N.', 'Siegel, Rodney B.'],
      year: 2019,
      journal: 'CONDOR',
      volume: '121',
      issue: '3',
      pages: '45-53',
      doi: '10.1093/condor/duz039',
      pmid: '31234567',
      abstract: 'Recently burned coniferous forests host wildlife communities that respond to variation in burn severity.',
      keywords: ['Picoides arcticus', 'wildfire', 'HABITAT'],
      type: 'journal-article',
      provenance: { line: 3, index: 0 },
    });
    expect(result.records[0].metadata?.UT).toBe('WOS:000478987100001');
    expect(result.records[1]).toMatchObject({ type: 'book', authors: ['Smith, WG'], provenance: { line: 26, index: 1 } });
    expect(result.records[1].journal).toBeUndefined();
  });

  it('imports a record without ER, and reads continuation lines that lost their indent', () => {
    const { records, problems } = parse('PT J\nTI Importance of methane-derived carbon\nconsumers in arctic lakes\nAU Medvedeff, C\nHershey, A\nPY 2013');
    expect(records[0]).toMatchObject({ title: 'Importance of methane-derived carbon consumers in arctic lakes', authors: ['Medvedeff, C', 'Hershey, A'], year: 2013 });
    expect(problems).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/no closing "ER"/) })]);
  });

  it('splits "Family, Given; Family, Given" author lines (MEDLINE via Web of Science)', () => {
    const { records } = parse('PT J\nTI T\nAU Joffe, Hadine; Hall, Janet E\nPS 411-22\nUT MEDLINE:16735938\nER\n');
    expect(records[0]).toMatchObject({ authors: ['Joffe, Hadine', 'Hall, Janet E'], pages: '411-422', pmid: '16735938' });
  });

  it('is not taken for RIS or RefWorks', () => {
    expect(wosImporter.sniff('TY  - JOUR\nTI  - x\nAU  - y\nER  - \n')).toBe(0);
    expect(wosImporter.sniff('RT Journal Article\nSR Electronic(1)\nA1 Allan,Steven\nT1 Anger\nYR 2002\n')).toBe(0);
    expect(wosImporter.sniff(' ## ')).toBe(0);
  });
});
