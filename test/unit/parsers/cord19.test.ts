import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { familyName } from '../../../src/screening/record';
import { importBytes, importText } from '../../../src/parsers/index';
import { SEEDS_DIR } from '../helpers/corpus';

describe('CORD-19 text', () => {
  it('seed 001', () => {
    const name = '001_86ab03fc405a49da.txt';
    const result = importBytes(readFileSync(join(SEEDS_DIR, name)), `seeds/${name}`);
    expect(result.format).toBe('cord19');
    expect(result.records).toHaveLength(1);
    const record = result.records[0];
    expect(record.title).toBe(
      "Barriers to Somatic Health Care for Persons With Severe Mental Illness in Belgium: A Qualitative Study of Patients' and Healthcare Professionals' Perspectives",
    );
    expect(record.authors).toHaveLength(10);
    expect(familyName(record.authors[0])).toBe('Kohn');
    expect(record.year).toBe(2022);
    expect(record.journal).toBe('Front Psychiatry');
    expect(record.doi).toBe('10.3389/fpsyt.2021.798530');
    expect(record.keywords).toContain('health disparities');
    expect(record.keywords).toEqual(['physical health', 'severe mental illness (SMI)', 'health disparities', 'qualitative research', 'health care', 'barriers']);
    expect(record.abstract).toMatch(/^BACKGROUND: A huge and still growing mortality gap/);
    expect(record.abstract).not.toMatch(/Keywords|two to three times higher mortality rate/);
    expect(record.fullText).toMatch(/^BACKGROUND People with severe mental illness/);
    expect(record.fullText).toMatch(/Conflict of Interest/);
    expect(record.metadata).toMatchObject({ cord_uid: 'ximxe73c', doc_id: '867082', sha: '84268ee00021ef8825dc570ea7b2d0133185b3cd' });
    expect(record.provenance).toMatchObject({ format: 'cord19', line: 1, index: 0 });
    expect(result.problems).toEqual([]);
  });

  it('reads a header with a missing key and a title holding a colon', () => {
    const text = 'key: cord-1-abc authors: Doe, Jane title: Title: with a colon date: 2020-05-01 DOI: 10.1000/x sha: abc doc_id: 1 cord_uid: abc Short abstract. Keywords: one, two INTRODUCTION Body text.';
    const result = importText(text, 'c.txt');
    expect(result.records[0]).toMatchObject({
      title: 'Title: with a colon',
      authors: ['Doe, Jane'],
      year: 2020,
      doi: '10.1000/x',
      abstract: 'Short abstract.',
      keywords: ['one', 'two'],
      fullText: 'INTRODUCTION Body text.',
    });
    expect(result.records[0].journal).toBeUndefined();
  });
});
