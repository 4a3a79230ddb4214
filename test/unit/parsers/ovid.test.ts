import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/parsers/index';
import { ovidImporter, parseOvidSource } from '../../../src/parsers/ovid';

const TAGGED = [
  '<3. >',
  'VN  - Ovid Technologies',
  'DB  - Journals@Ovid',
  'AN  - 01189059-201108000-00009.',
  'AU  - Zhang, Weijia 1,2,+',
  'AU  - Gazic, Barbara MD, PhD *',
  'TI  - Up-regulation of breast cancer resistance protein.  [Article]',
  'SO  - Acta Biochimica et Biophysica Sinica August 2011;43(8):647-653',
  'AB  - Human epidermal growth factor receptor 2 overexpression',
  '      is correlated with poor prognosis.',
  'KW  - BCRP;  PI3K/AKT;  chemoresistance',
  'DI  - 10.1093/abbs/gmr050',
  'XL  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&AN=01189059-201108000-00009',
  '',
  '<4. >',
  'VN  - Ovid Technologies',
  'TI  - Second record',
  'SO  - Journal of Political Studies 12, Winter 2007: 7-14.',
].join('\r\n');

const DISPLAY = [
  '<8>',
  'Score',
  '  *****',
  'Author',
  '  Kohler, Lars 1;  Leuschner, Christoph 1',
  'Title',
  '  Cloud water interception and element deposition.[Article]',
  'Source',
  '  Ecohydrology.   8(6):1048-1064, September 2015.',
  'Abstract',
  '  Lorem ipsum',
  '  abstract',
  'Author Keywords',
  '  alpine treeline;  canopy cover.',
  'DOI Number',
  '  10.1002/eco.1563',
  '<9>',
  'Publication Type',
  '  Book',
  'Chapter Title',
  '  Only a chapter title',
].join('\n');

describe('Ovid', () => {
  it('reads the tagged form', () => {
    const result = importText(TAGGED, 'ovid.txt');
    expect(result.format).toBe('ovid');
    expect(result.problems).toEqual([]);
    expect(result.records[0]).toMatchObject({
      title: 'Up-regulation of breast cancer resistance protein.',
      authors: ['Zhang, Weijia', 'Gazic, Barbara'],
      journal: 'Acta Biochimica et Biophysica Sinica',
      year: 2011,
      volume: '43',
      issue: '8',
      pages: '647-653',
      doi: '10.1093/abbs/gmr050',
      abstract: 'Human epidermal growth factor receptor 2 overexpression is correlated with poor prognosis.',
      keywords: ['BCRP', 'PI3K/AKT', 'chemoresistance'],
      url: 'http://ovidsp.ovid.com/ovidweb.cgi?T=JS&AN=01189059-201108000-00009',
      type: 'journal-article',
      provenance: { line: 1, index: 0 },
    });
    expect(result.records[1]).toMatchObject({ title: 'Second record', journal: 'Journal of Political Studies', volume: '12', year: 2007, pages: '7-14', provenance: { line: 15 } });
  });

  it('reads the display form', () => {
    const result = importText(DISPLAY, 'ovid-display.txt');
    expect(result.format).toBe('ovid');
    expect(result.records[0]).toMatchObject({
      title: 'Cloud water interception and element deposition.',
      authors: ['Kohler, Lars', 'Leuschner, Christoph'],
      journal: 'Ecohydrology',
      volume: '8',
      issue: '6',
      pages: '1048-1064',
      year: 2015,
      abstract: 'Lorem ipsum abstract',
      keywords: ['alpine treeline', 'canopy cover'],
      doi: '10.1002/eco.1563',
    });
    expect(result.records[1]).toMatchObject({ title: 'Only a chapter title', type: 'book', provenance: { line: 17, index: 1 } });
  });

  it('reads the citation shapes of SO', () => {
    expect(parseOvidSource('Nursing Science Quarterly.   28(2):103-106, April 2015.')).toMatchObject({ journal: 'Nursing Science Quarterly', volume: '28', issue: '2', pages: '103-106', year: 2015 });
    expect(parseOvidSource("ACSM'S Health & Fitness Journal January/February 2010;14(1):56")).toMatchObject({ journal: "ACSM'S Health & Fitness Journal", year: 2010, volume: '14', issue: '1', pages: '56' });
    expect(parseOvidSource('Neenan, M [Ed]. (2012). Cognitive behavioural coaching in practice. (pp. 11-31). xvii, 254 pp.')).toMatchObject({ journal: 'Cognitive behavioural coaching in practice', year: 2012, pages: '11-31' });
    expect(parseOvidSource('Journal of the American Medical Informatics Association.')).toMatchObject({ journal: 'Journal of the American Medical Informatics Association' });
  });

  it('reports text before the first record marker', () => {
    const { problems, records } = ovidImporter.parse(`Search results\n${TAGGED}`, 'ovid.txt');
    expect(records).toHaveLength(2);
    expect(problems).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/before the first Ovid record/) })]);
  });

  it('reads a display-form export that lost its record marker as Ovid, not as a prose page titled "Score"', () => {
    const broken = DISPLAY.split('\n').slice(1, DISPLAY.split('\n').indexOf('<9>')).join('\n');
    const result = importText(broken, 'ovid-export.txt');
    expect(result.format).toBe('ovid');
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({ title: 'Cloud water interception and element deposition.', doi: '10.1002/eco.1563' });
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/no Ovid record marker/) })]);
  });

  it('makes a file with no valid record a problem of the file (an error), not a junk record', () => {
    const flattened = DISPLAY.split('\n').map((line) => line.trimStart()).join('\n');
    const result = importText(flattened, 'ovid-flattened.txt');
    expect(result.records).toEqual([]);
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([
      expect.objectContaining({ line: 0, message: expect.stringMatching(/^No valid record found \(read as Ovid tagged\)/) }),
    ]);
  });
});
