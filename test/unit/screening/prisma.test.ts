import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Decision, Stage, Verdict } from '../../../src/screening/decision';
import { checkInvariants, computePrisma, prismaCsv, prismaJson, prismaMarkdown, prismaTemplateCsv, type PrismaSource } from '../../../src/screening/prisma';
import { recordStatus, type RecordStatus } from '../../../src/screening/status';

const TEMPLATE = resolve(__dirname, '../../fixtures/prisma/PRISMA.csv');

/** A record's fate: title/abstract verdict (or pending), then full-text verdict (or pending) and reason. */
type Fate = { ta?: Verdict; ft?: Verdict; reason?: string };

function statusFor(id: string, fate: Fate): RecordStatus {
  const decisions = (stage: Stage) => {
    const verdict = stage === 'title-abstract' ? fate.ta : fate.ft;
    if (!verdict) return undefined;
    const decision: Decision = { record: id, stage, verdict, reason: fate.reason ?? null, note: null, time: '2026-01-01T00:00:00.000Z' };
    return new Map([['a', decision]]);
  };
  return recordStatus(id, { needed: { 'title-abstract': 1, 'full-text': 1 }, decisions, resolution: () => undefined });
}

function scenario() {
  const sources: PrismaSource[] = [
    { file: 'medline.ris', category: 'database', name: 'MEDLINE', identified: 60 },
    { file: 'embase.ris', category: 'database', name: 'Embase', identified: 40 },
    { file: 'ctgov.csv', category: 'register', name: 'ClinicalTrials.gov', identified: 10 },
    { file: 'web.txt', category: 'website', identified: 5 },
    { file: 'org.txt', category: 'organisation', identified: 3 },
    { file: 'cites.ris', category: 'citation-searching', identified: 2 },
  ];
  const duplicates = [...Array(15).fill({ file: 'embase.ris' }), ...Array(5).fill({ file: 'ctgov.csv' }), { file: 'web.txt' }];
  const fates = new Map<string, Fate>();
  const records: { id: string; file: string }[] = [];
  const add = (file: string, count: number, fate: Fate) => {
    for (let i = 0; i < count; i++) {
      const id = `${file}#${records.length}`;
      records.push({ id, file });
      fates.set(id, fate);
    }
  };
  // 90 unique records from databases and registers (110 identified − 20 duplicates).
  add('medline.ris', 30, { ta: 'exclude' });
  add('embase.ris', 20, { ta: 'exclude' });
  add('medline.ris', 4, {});
  add('ctgov.csv', 1, { ta: 'maybe' });
  add('medline.ris', 3, { ta: 'include', ft: 'not-retrieved' });
  add('medline.ris', 1, { ta: 'include' });
  add('embase.ris', 1, { ta: 'include', ft: 'maybe' });
  add('medline.ris', 12, { ta: 'include', ft: 'exclude', reason: 'Wrong population' });
  add('embase.ris', 4, { ta: 'include', ft: 'exclude', reason: 'Wrong outcome' });
  add('ctgov.csv', 4, { ta: 'include', ft: 'exclude', reason: 'Wrong outcome' });
  add('medline.ris', 10, { ta: 'include', ft: 'include' });
  // 9 unique records from other methods (10 identified − 1 duplicate).
  add('web.txt', 2, { ta: 'exclude' });
  add('org.txt', 1, {});
  add('web.txt', 1, { ta: 'include', ft: 'not-retrieved' });
  add('org.txt', 2, { ta: 'include', ft: 'exclude', reason: 'Wrong study design' });
  add('cites.ris', 2, { ta: 'include', ft: 'include' });
  add('web.txt', 1, { ta: 'include', ft: 'include' });
  return computePrisma({ sources, records, duplicates, status: (id) => statusFor(id, fates.get(id)!) });
}

describe('PRISMA 2020 counts', () => {
  it('counts each box from sources, duplicates and final decisions (hand-computed)', () => {
    const c = scenario();
    expect(c).toMatchObject({
      database_results: 100,
      database_specific_results: [
        { name: 'MEDLINE', n: 60 },
        { name: 'Embase', n: 40 },
      ],
      register_results: 10,
      register_specific_results: [{ name: 'ClinicalTrials.gov', n: 10 }],
      website_results: 5,
      organisation_results: 3,
      citations_results: 2,
      duplicates: 20,
      excluded_automatic: 0,
      excluded_other: 0,
      records_screened: 90,
      records_excluded: 50,
      dbr_sought_reports: 35,
      dbr_notretrieved_reports: 3,
      dbr_assessed: 30,
      dbr_excluded: [
        { name: 'Wrong population', n: 12 },
        { name: 'Wrong outcome', n: 8 },
      ],
      dbr_included: 10,
      other_duplicates: 1,
      other_records_screened: 9,
      other_records_excluded: 2,
      other_sought_reports: 6,
      other_notretrieved_reports: 1,
      other_assessed: 5,
      other_excluded: [{ name: 'Wrong study design', n: 2 }],
      other_included: 3,
      new_studies: 13,
      new_reports: 13,
      total_studies: 13,
      total_reports: 13,
      pending: { screening: 5, assessment: 2, other_screening: 1, other_assessment: 0, total: 8 },
    });
  });

  it('keeps the flow arithmetic, with pending records as their own term', () => {
    const checks = checkInvariants(scenario());
    expect(checks.filter((check) => !check.holds)).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(8);
  });

  it('writes the PRISMA2020 template exactly (the fixture is the package template)', () => {
    expect(prismaTemplateCsv()).toBe(readFileSync(TEMPLATE, 'utf8'));
  });

  it('fills the template n column and leaves every other cell as in the template', () => {
    const csv = prismaCsv(scenario());
    const ours = Papa.parse<string[]>(csv.trim()).data;
    const template = Papa.parse<string[]>(readFileSync(TEMPLATE, 'utf8').trim()).data;
    expect(ours.length).toBe(template.length);
    expect(ours[0]).toEqual(['data', 'node', 'box', 'description', 'boxtext', 'tooltips', 'url', 'n']);
    ours.forEach((row, i) => expect(row.slice(0, 7)).toEqual(template[i].slice(0, 7)));
    const n = Object.fromEntries(ours.slice(1).filter((row) => row[0] !== 'NA').map((row) => [row[0], row[7]]));
    expect(n).toMatchObject({
      database_results: '100',
      database_specific_results: 'MEDLINE, 60; Embase, 40',
      register_specific_results: 'ClinicalTrials.gov, 10',
      duplicates: '20',
      records_screened: '90',
      records_excluded: '50',
      dbr_sought_reports: '35',
      dbr_notretrieved_reports: '3',
      dbr_assessed: '30',
      dbr_excluded: 'Wrong population, 12; Wrong outcome, 8',
      other_sought_reports: '6',
      other_excluded: 'Wrong study design, 2',
      new_studies: '13',
      total_studies: '13',
    });
  });

  it('exports Markdown (flagging pending records) and JSON with the invariants', () => {
    const c = scenario();
    const md = prismaMarkdown(c);
    expect(md).toContain('| Screening | Records screened (`records_screened`) | 90 |');
    expect(md).toContain('8 records are still pending');
    const json = JSON.parse(prismaJson(c));
    expect(json.records_screened).toBe(90);
    expect(json.invariants.every((check: { holds: boolean }) => check.holds)).toBe(true);
  });
});
