import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { familyName } from '../../../src/screening/record';
import { importBytes, importText, sniffFormat } from '../../../src/parsers/index';
import { risImporter } from '../../../src/parsers/ris';
import { SEEDS_DIR } from '../helpers/corpus';

const seed = (prefix: string) => {
  const name = `${prefix}_${{ '000': '5ac076b1b50789ed', '003': 'dc436e7f8f4458aa' }[prefix]}.txt`;
  return importBytes(readFileSync(join(SEEDS_DIR, name)), `seeds/${name}`);
};
const parse = (text: string) => risImporter.parse(text, 'test.ris');

describe('RIS seeds (flattened one-line records)', () => {
  it('000', () => {
    const result = seed('000');
    expect(result.format).toBe('ris');
    expect(result.records).toHaveLength(1);
    const record = result.records[0];
    expect(record.title).toBe(
      'Strengthening the delivery of integrated care for individuals experiencing serious mental illness within mental health settings: a qualitative description of health provider perspectives',
    );
    expect(record.authors).toHaveLength(18);
    expect(familyName(record.authors[0])).toBe('Ambreen');
    expect(familyName(record.authors[17])).toBe('Stergiopoulos');
    expect(record.authors).toContain('van Kesteren, M. R.');
    expect(record.year).toBe(2025);
    expect(record.journal).toBe('BMC Psychiatry');
    expect(record.doi).toBe('10.1186/s12888-025-06572-2');
    expect(record.pmid).toBe('39953407');
    expect(record.abstract).toMatch(/^BACKGROUND: Individuals experiencing serious mental illness/);
    expect(record.abstract).toMatch(/CLINICAL TRIAL NUMBER: Not Applicable\.$/);
    expect(record.provenance).toMatchObject({ format: 'ris', line: 1, index: 0 });
    expect(result.problems.filter((p) => p.severity !== 'info')).toEqual([]);
  });

  it('003', () => {
    const result = seed('003');
    expect(result.format).toBe('ris');
    expect(result.records).toHaveLength(1);
    const record = result.records[0];
    expect(record.title).toBe(
      'Coordination of services for people with serious mental illness and general medical conditions: Perspectives from rural northeastern United States',
    );
    expect(record.authors).toHaveLength(6);
    expect(familyName(record.authors[0])).toBe('Storm');
    expect(record.year).toBe(2020);
    expect(record.doi).toBe('10.1037/prj0000404');
    expect(record.pmid).toBe('31985242');
    expect(record.abstract).toMatch(/^OBJECTIVE: The objective of the study/);
  });
});

describe('RIS parsing', () => {
  it('reads the common fields', () => {
    const { records, problems } = parse(
      [
        'TY  - JOUR',
        'TI  - A title',
        'AU  - Smith, John',
        'AU  - Doe, J.',
        'PY  - 2019/05/01/',
        'T2  - Journal of Tests',
        'VL  - 12',
        'IS  - 3',
        'SP  - 454',
        'EP  - 81',
        'DO  - https://doi.org/10.1000/ABC.123',
        'AB  - An abstract.',
        'KW  - alpha',
        'KW  - beta; gamma',
        'UR  - https://example.org/a',
        'N1  - A note',
        'ER  - ',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      title: 'A title',
      authors: ['Smith, John', 'Doe, J.'],
      year: 2019,
      journal: 'Journal of Tests',
      volume: '12',
      issue: '3',
      pages: '454-481',
      doi: '10.1000/abc.123',
      abstract: 'An abstract.',
      keywords: ['alpha', 'beta', 'gamma'],
      url: 'https://example.org/a',
      type: 'journal-article',
      metadata: { N1: 'A note' },
      provenance: { file: 'test.ris', format: 'ris', line: 1, index: 0 },
    });
  });

  it('joins unprefixed continuation lines with a space, but keeps one keyword per line', () => {
    const { records } = parse('TY  - JOUR\nTI  - A long title\nthat goes on\nAB  - First line\n   second line\n\nthird line\nKW  - one\ntwo\nthree\nER  - \n');
    expect(records[0].title).toBe('A long title that goes on');
    expect(records[0].abstract).toBe('First line second line third line');
    expect(records[0].keywords).toEqual(['one', 'two', 'three']);
  });

  it('takes the first non-empty of repeated title and abstract tags', () => {
    const { records } = parse('TY  - JOUR\nT1  - \nTI  - First title\nTI  - Second title\nAB  - NA\nAB  - Real abstract\nN2  - Other abstract\nAB  - Copyright notice\nER  - \n');
    expect(records[0].title).toBe('First title');
    expect(records[0].abstract).toBe('Real abstract');
  });

  it('accepts CRLF, bare CR, a BOM, tags with trailing white space, tabs and single spaces', () => {
    const lf = 'TY  - JOUR\nTI  - Title one  \nAU  -\nA1\t- Tab, Author\nKW - single\nER  -\nTY  - BOOK\nTI  - Title two\nER  - \n';
    for (const text of [lf, lf.replace(/\n/g, '\r\n'), lf.replace(/\n/g, '\r'), `\ufeff${lf}`]) {
      const result = importText(text, 'eol.ris');
      expect(result.format).toBe('ris');
      expect(result.records.map((r) => r.title)).toEqual(['Title one', 'Title two']);
      expect(result.records[0].authors).toEqual(['Tab, Author']);
      expect(result.records[0].keywords).toEqual(['single']);
      expect(result.records.map((r) => r.provenance.line)).toEqual([1, 7]);
    }
  });

  it('skips known preambles silently and reports other text before the first record', () => {
    const known = parse('Record #1 of 2\nProvider: Provider\nContent: text/plain; charset="UTF-8"\n1.\nTY  - JOUR\nTI  - One\nER  - \n\nRecord #2 of 2\n2.\nTY  - JOUR\nTI  - Two\nER  - \n');
    expect(known.records.map((r) => r.title)).toEqual(['One', 'Two']);
    expect(known.problems).toEqual([]);

    const unknown = parse('Some export banner\nTY  - JOUR\nTI  - One\nER  - \n');
    expect(unknown.records).toHaveLength(1);
    expect(unknown.problems).toEqual([expect.objectContaining({ file: 'test.ris', line: 1, severity: 'warning', message: expect.stringMatching(/Some export banner/) })]);
  });

  it('imports a record whose ER is missing, before the next TY and at the end of the file, with warnings', () => {
    const { records, problems } = parse('TY  - JOUR\nTI  - No ER here\nTY  - JOUR\nTI  - Closed\nER  - \nTY  - JOUR\nTI  - Last, unclosed\n');
    expect(records.map((r) => r.title)).toEqual(['No ER here', 'Closed', 'Last, unclosed']);
    expect(problems).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringMatching(/no closing "ER/) }),
      expect.objectContaining({ line: 6, message: expect.stringMatching(/truncated/) }),
    ]);
  });

  it('keeps the good records of a truncated file', () => {
    const full = 'TY  - JOUR\nTI  - First\nAU  - A, B\nER  - \n\nTY  - JOUR\nTI  - Second\nAB  - Cut in the mid';
    const { records, problems } = parse(full);
    expect(records.map((r) => r.title)).toEqual(['First', 'Second']);
    expect(records[1].abstract).toBe('Cut in the mid');
    expect(problems[0]).toMatchObject({ line: 6, severity: 'warning' });
  });

  it('imports records without a title when they have data, and skips empty ones, with warnings', () => {
    const { records, problems } = parse('TY  - JOUR\nAU  - Nobody, N\nPY  - 2001\nER  - \nTY  - GEN\nER  - \nTY  - BOOK\nTY  - JOUR\nTI  - Fine\nER  - \n');
    expect(records.map((r) => r.title)).toEqual(['', 'Fine']);
    expect(records[0]).toMatchObject({ authors: ['Nobody, N'], year: 2001 });
    expect(problems).toContainEqual(expect.objectContaining({ line: 1, message: expect.stringMatching(/no title/) }));
    expect(problems).toContainEqual(expect.objectContaining({ line: 5, message: expect.stringMatching(/no data/) }));
    expect(problems).toContainEqual(expect.objectContaining({ line: 7, message: expect.stringMatching(/no data/) }));
  });

  it('reads a record that lacks TY, and ignores unknown tags outside records', () => {
    const { records, problems } = parse('JF  - Journal\nT1  - Without TY\nER  - \nUK  - Unknown Tag\nER  -\n');
    expect(records.map((r) => r.title)).toEqual(['Without TY']);
    expect(problems.map((p) => p.line)).toEqual([1, 4, 5]);
  });

  it('finds DOIs and PubMed ids where exports hide them', () => {
    const { records } = parse(
      [
        'TY  - JOUR\nTI  - a\nM3  - doi: 10.1000/m3\nER  - ',
        'TY  - JOUR\nTI  - b\nUR  - http://dx.doi.org/10.1000/UR?utm=x\nER  - ',
        'TY  - JOUR\nTI  - c\nN1  - PMID: 12345678\nAN  - 2019-1234-001\nER  - ',
        'TY  - JOUR\nTI  - d\nAN  - 39953407\nDP  - NLM\nER  - ',
        'TY  - JOUR\nTI  - e\nC3  - PUBMED 21314913\nER  - ',
        'TY  - JOUR\nTI  - f\nL2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=medp&NEWS=N&AN=39012781\nER  - ',
        'TY  - JOUR\nTI  - g\nAN  - 12345678\nDP  - EBSCOhost\nDB  - Academic Search Premier\nER  - ',
      ].join('\n'),
    );
    expect(records.map((r) => r.doi)).toEqual(['10.1000/m3', '10.1000/ur', undefined, undefined, undefined, undefined, undefined]);
    expect(records.map((r) => r.pmid)).toEqual([undefined, undefined, '12345678', '39953407', '21314913', '39012781', undefined]);
  });

  it('writes authors as "Family, Given" from the forms exports use', () => {
    const forms: [string, string][] = [
      ['Smith, John A.', 'Smith, John A.'],
      ['L H Lindholm', 'Lindholm, L H'],
      ['Björn Dahlöf', 'Dahlöf, Björn'],
      ['M. R. van Kesteren', 'van Kesteren, M. R.'],
      ['Jan Van Der Berg', 'Van Der Berg, Jan'],
      ['Kohn L', 'Kohn, L'],
      ['Brownstein C D', 'Brownstein, C D'],
      ['Fanning E.', 'Fanning, E.'],
      ['Zhang, Weijia 1,2,+', 'Zhang, Weijia'],
      ['Gazic, Barbara MD, PhD *', 'Gazic, Barbara'],
      ['Stillman, Andrew N. (andrew.stillman@uconn.edu)', 'Stillman, Andrew N.'],
      ['Study Group of GERD', 'Study Group of GERD'],
      ['J. Trust', 'J. Trust'],
    ];
    const text = `TY  - JOUR\nTI  - Authors\n${forms.map(([raw]) => `AU  - ${raw}`).join('\n')}\nAU  - Smith, John A.\nAU  - PhD\nER  - \n`;
    expect(parse(text).records[0].authors).toEqual(forms.map(([, expected]) => expected));
  });

  it('maps record types', () => {
    const types = parse(['JOUR', 'CHAP', 'BOOK', 'CONF', 'THES', 'RPRT', 'ELEC', 'UNPB', 'GEN'].map((t) => `TY  - ${t}\nTI  - x\nER  - `).join('\n')).records.map((r) => r.type);
    expect(types).toEqual(['journal-article', 'book-chapter', 'book', 'conference-paper', 'thesis', 'report', 'web-page', 'preprint', 'other']);
  });
});

describe('flattened RIS', () => {
  const flat = (abstract: string) =>
    `TY - JOUR AU - M. Smith AU - J. R. van Dijk A1 - AB - ${abstract} AD - Somewhere, UK. DO - 10.1000/flat PY - 2021 T2 - Some Journal TI - A flattened record Y1 - 2021 ER -`;

  it('splits only on known tags, so "UK - based" and "COVID - 19" stay in the abstract', () => {
    const abstract = 'A UK - based study of COVID - 19 in the NHS - wide setting, OR - 1.2, with AB - wording.';
    const result = importText(flat(abstract), 'flat.txt');
    expect(result.format).toBe('ris');
    const record = result.records[0];
    expect(record.title).toBe('A flattened record');
    expect(record.authors).toEqual(['Smith, M.', 'van Dijk, J. R.']);
    // AB cannot repeat within a record, so "AB - " inside the abstract stays text.
    expect(record.abstract).toBe(abstract);
    expect(record.year).toBe(2021);
    expect(record.doi).toBe('10.1000/flat');
    expect(record.journal).toBe('Some Journal');
    expect(record.metadata?.AD).toBe('Somewhere, UK.');
  });

  it('reads several flattened records, on one line or on several', () => {
    const two = `${flat('One.')} ${flat('Two.')}`;
    expect(parse(two).records.map((r) => r.abstract)).toEqual(['One.', 'Two.']);
    const lines = parse(`${flat('One.')}\n${flat('Two.')}\n`);
    expect(lines.records.map((r) => r.provenance.line)).toEqual([1, 2]);
    expect(lines.problems).toEqual([]);
  });
});

describe('RIS sniffing', () => {
  it('tells RIS from the other tagged formats by content', () => {
    expect(sniffFormat('TY  - JOUR\nTI  - x\nER  - \n')?.format).toBe('ris');
    expect(sniffFormat('1.\nTY  - JOUR\nTI  - x\nER  - \n')?.format).toBe('ris');
    expect(sniffFormat('PMID- 1\nOWN - NLM\nTI  - x\nAU  - A B\n')?.format).toBe('medline');
    expect(sniffFormat('FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nTI x\nER\nEF\n')?.format).toBe('wos');
    expect(sniffFormat('<1. >\nVN  - Ovid Technologies\nTI  - x\n')?.format).toBe('ovid');
    expect(risImporter.sniff('just some prose that mentions TY  - JOUR in passing')).toBeLessThan(0.2);
  });
});
