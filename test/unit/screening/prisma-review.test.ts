/**
 * The PRISMA exports of whole reviews: every box of the SVG diagram, every row of the PRISMA2020
 * CSV and of the Markdown table equals the count worked out by hand here, and the flow's
 * arithmetic holds. Two reviews: the sample review (seeds/, opened with Review.load) with a
 * scripted set of decisions, and a generated 2,000-record review with two databases, a register,
 * websites and citation searching.
 */
import { fileSafeReviewerId } from '../../../src/screening/reviewer';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/screening/decision';
import type { DuplicateRecord, ImportOutcome } from '../../../src/screening/import-records';
import { checkInvariants, type NamedCount, type PrismaCounts } from '../../../src/screening/prisma';
import { prismaText } from '../../../src/screening/prisma-export';
import { Review } from '../../../src/screening/review';
import { containsIgnoringWraps, namedCounts, numbersIn, svgBoxes, type SvgBox } from './helpers/prisma-svg';
import { syntheticRecord } from './helpers/synthetic';

const SEEDS = resolve(__dirname, '../../../seeds');
const TEMPLATE = resolve(__dirname, '../../fixtures/prisma/PRISMA.csv');
const SCRIPT_REASON = '</text><script>alert(1)</script>';
const noGit = async () => ({ code: 1, stdout: '', stderr: '' });

/** The numbers every export must show, worked out by hand for each scenario. */
interface Expected {
  database_results: number;
  database_specific_results: NamedCount[];
  register_results: number;
  register_specific_results: NamedCount[];
  website_results: number;
  organisation_results: number;
  citations_results: number;
  duplicates: number;
  records_screened: number;
  records_excluded: number;
  dbr_sought_reports: number;
  dbr_notretrieved_reports: number;
  dbr_assessed: number;
  dbr_excluded: NamedCount[];
  other_duplicates: number;
  other_records_screened: number;
  other_records_excluded: number;
  other_sought_reports: number;
  other_notretrieved_reports: number;
  other_assessed: number;
  other_excluded: NamedCount[];
  new_studies: number;
  pending: PrismaCounts['pending'];
}

function box(boxes: Map<string, SvgBox>, id: string): SvgBox {
  const found = boxes.get(id);
  if (!found) throw new Error(`the SVG has no box ${id}; it has ${[...boxes.keys()].join(', ')}`);
  return found;
}

/** Checks the counts, the SVG (plain and with per-source detail), the CSV and the Markdown against `e`. */
function checkExports(counts: PrismaCounts, e: Expected): void {
  // The counts themselves, and the flow's arithmetic.
  expect(counts).toMatchObject({ ...e, excluded_automatic: 0, excluded_other: 0, new_reports: e.new_studies, total_studies: e.new_studies, total_reports: e.new_studies });
  expect(checkInvariants(counts).filter((check) => !check.holds)).toEqual([]);
  const sum = (list: NamedCount[]) => list.reduce((total, item) => total + item.n, 0);
  expect(e.records_screened).toBe(e.database_results + e.register_results - e.duplicates);
  expect(e.dbr_sought_reports).toBe(e.records_screened - e.records_excluded - e.pending.screening);
  expect(e.dbr_assessed).toBe(e.dbr_sought_reports - e.dbr_notretrieved_reports - e.pending.assessment);
  expect(e.other_sought_reports).toBe(e.other_records_screened - e.other_records_excluded - e.pending.other_screening);
  expect(e.other_assessed).toBe(e.other_sought_reports - e.other_notretrieved_reports - e.pending.other_assessment);
  expect(e.new_studies).toBe(e.dbr_assessed - sum(e.dbr_excluded) + e.other_assessed - sum(e.other_excluded));

  // SVG: well-formed XML, every box's numbers.
  const svg = prismaText(counts, 'svg');
  expect(XMLValidator.validate(svg)).toBe(true);
  const boxes = svgBoxes(svg);
  expect(numbersIn(box(boxes, 'database_results').text)).toEqual([e.database_results, e.register_results]);
  expect(numbersIn(box(boxes, 'duplicates').text)).toEqual([e.duplicates, 0, 0]);
  expect(numbersIn(box(boxes, 'records_screened').text)).toEqual([e.records_screened, ...(e.pending.screening > 0 ? [e.pending.screening] : [])]);
  expect(numbersIn(box(boxes, 'records_excluded').text)).toEqual([e.records_excluded]);
  expect(numbersIn(box(boxes, 'dbr_sought_reports').text)).toEqual([e.dbr_sought_reports, ...(e.pending.assessment > 0 ? [e.pending.assessment] : [])]);
  expect(numbersIn(box(boxes, 'dbr_notretrieved_reports').text)).toEqual([e.dbr_notretrieved_reports]);
  expect(numbersIn(box(boxes, 'dbr_assessed').text)).toEqual([e.dbr_assessed]);
  expect(namedCounts(box(boxes, 'dbr_excluded').label, 'Reports excluded:')).toEqual(e.dbr_excluded);
  for (const reason of e.dbr_excluded) expect(containsIgnoringWraps(box(boxes, 'dbr_excluded').text, `${reason.name} (n = ${reason.n.toLocaleString('en-US')})`)).toBe(true);
  expect(numbersIn(box(boxes, 'website_results').text)).toEqual([e.website_results, e.organisation_results, e.citations_results]);
  const otherScreening = e.other_duplicates + e.other_records_excluded + e.pending.other_screening > 0;
  if (otherScreening) {
    expect(numbersIn(box(boxes, 'other_records_screened').text)).toEqual([e.other_records_screened, ...(e.pending.other_screening > 0 ? [e.pending.other_screening] : [])]);
    expect(numbersIn(box(boxes, 'other_records_excluded').text)).toEqual([e.other_records_excluded]);
  } else {
    expect(boxes.has('other_records_screened')).toBe(false);
  }
  if (e.other_duplicates > 0) expect(numbersIn(box(boxes, 'other_duplicates').text)).toEqual([e.other_duplicates]);
  expect(numbersIn(box(boxes, 'other_sought_reports').text)).toEqual([e.other_sought_reports, ...(e.pending.other_assessment > 0 ? [e.pending.other_assessment] : [])]);
  expect(numbersIn(box(boxes, 'other_notretrieved_reports').text)).toEqual([e.other_notretrieved_reports]);
  expect(numbersIn(box(boxes, 'other_assessed').text)).toEqual([e.other_assessed]);
  expect(namedCounts(box(boxes, 'other_excluded').label, 'Reports excluded:')).toEqual(e.other_excluded);
  expect(numbersIn(box(boxes, 'new_studies').text)).toEqual([e.new_studies, e.new_studies]);
  // The pending banner, exactly while something is pending.
  expect(boxes.has('pending')).toBe(e.pending.total > 0);
  if (e.pending.total > 0) expect(box(boxes, 'pending').text).toContain(`${e.pending.total.toLocaleString('en-US')} record`);

  // With per-source detail, the identification box lists each database and register.
  const detailed = svgBoxes(prismaText(counts, 'svg', { detail: true }));
  expect(numbersIn(box(detailed, 'database_results').text)).toEqual([
    e.database_results,
    ...e.database_specific_results.map((db) => db.n),
    e.register_results,
    ...e.register_specific_results.map((reg) => reg.n),
  ]);
  for (const db of e.database_specific_results) expect(box(detailed, 'database_results').text).toContain(db.name);

  // CSV: exactly the PRISMA2020 template's columns and data keys, n filled in.
  const csv = Papa.parse<string[]>(prismaText(counts, 'csv').trim()).data;
  const template = Papa.parse<string[]>(readFileSync(TEMPLATE, 'utf8').trim()).data;
  expect(csv[0]).toEqual(template[0]);
  expect(csv.map((row) => row[0])).toEqual(template.map((row) => row[0]));
  csv.forEach((row, i) => expect(row.slice(0, 7)).toEqual(template[i].slice(0, 7)));
  const n = new Map(csv.slice(1).map((row) => [row[0], row[7]]));
  const list = (items: NamedCount[]) => (items.length > 0 ? items.map((item) => `${item.name.replace(/[;,]/g, ' ')}, ${item.n}`).join('; ') : undefined);
  expect(Object.fromEntries(n)).toMatchObject({
    database_results: String(e.database_results),
    database_specific_results: list(e.database_specific_results) ?? 'NA',
    register_results: String(e.register_results),
    register_specific_results: list(e.register_specific_results) ?? 'NA',
    website_results: String(e.website_results),
    organisation_results: String(e.organisation_results),
    citations_results: String(e.citations_results),
    duplicates: String(e.duplicates),
    excluded_automatic: '0',
    excluded_other: '0',
    records_screened: String(e.records_screened),
    records_excluded: String(e.records_excluded),
    dbr_sought_reports: String(e.dbr_sought_reports),
    dbr_notretrieved_reports: String(e.dbr_notretrieved_reports),
    dbr_assessed: String(e.dbr_assessed),
    dbr_excluded: list(e.dbr_excluded) ?? '0',
    other_sought_reports: String(e.other_sought_reports),
    other_notretrieved_reports: String(e.other_notretrieved_reports),
    other_assessed: String(e.other_assessed),
    other_excluded: list(e.other_excluded) ?? '0',
    new_studies: String(e.new_studies),
    new_reports: String(e.new_studies),
    total_studies: String(e.new_studies),
    total_reports: String(e.new_studies),
  });

  // Markdown: one row per box, the n column.
  const md = prismaText(counts, 'md');
  const row = (key: string) => {
    const line = md.split('\n').find((candidate) => candidate.includes(`(\`${key}\`)`));
    if (!line) throw new Error(`no Markdown row for ${key}`);
    return line.split(' | ').at(-1)!.replace(/ \|$/, '');
  };
  const mdList = (items: NamedCount[]) => (items.length > 0 ? items.map((item) => `${item.name.replace(/\|/g, '\\|')}: ${item.n}`).join('; ') : '—');
  for (const key of [
    'database_results',
    'register_results',
    'website_results',
    'organisation_results',
    'citations_results',
    'duplicates',
    'records_screened',
    'records_excluded',
    'dbr_sought_reports',
    'dbr_notretrieved_reports',
    'dbr_assessed',
    'other_duplicates',
    'other_records_screened',
    'other_records_excluded',
    'other_sought_reports',
    'other_notretrieved_reports',
    'other_assessed',
    'new_studies',
  ] as const) {
    expect(row(key), key).toBe(String(e[key]));
  }
  expect(row('database_specific_results')).toBe(mdList(e.database_specific_results));
  expect(md).toContain(`Reports excluded (\`dbr_excluded\`), ${sum(e.dbr_excluded)} | ${mdList(e.dbr_excluded)} |`);
  expect(md).toContain(`Reports excluded (\`other_excluded\`), ${sum(e.other_excluded)} | ${mdList(e.other_excluded)} |`);
  expect(md.includes('still pending')).toBe(e.pending.total > 0);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-prisma-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the sample review (seeds) with scripted decisions', () => {
  it('shows the hand-computed numbers in the SVG, the CSV and the Markdown, pending and final', async () => {
    cpSync(SEEDS, dir, { recursive: true });
    const review = await Review.load(dir, { reviewer: 'ann@example.org', git: noGit });
    const byFile = (prefix: string) => {
      const record = review.records.find((candidate) => candidate.provenance.file.replace(/^.*[\\/]/, '').startsWith(prefix));
      if (!record) throw new Error(`no seed record from ${prefix}`);
      return record.id;
    };
    // Seeds: 000, 001 (CORD-19) and 003 are databases; 002 and 004 websites (docs/screening-files.md).
    const [r000, r001, r002, r003, r004] = ['000_', '001_', '002_', '003_', '004_'].map(byFile);
    const databases = [
      { name: '000_5ac076b1b50789ed', n: 1 },
      { name: 'CORD-19', n: 1 },
      { name: '003_dc436e7f8f4458aa', n: 1 },
    ];
    const base = {
      database_results: 3,
      database_specific_results: databases,
      register_results: 0,
      register_specific_results: [],
      website_results: 2,
      organisation_results: 0,
      citations_results: 0,
      duplicates: 0,
      records_screened: 3,
      other_duplicates: 0,
      other_records_screened: 2,
    };

    // Nothing decided: everything pending.
    checkExports(review.counts(), {
      ...base,
      records_excluded: 0,
      dbr_sought_reports: 0,
      dbr_notretrieved_reports: 0,
      dbr_assessed: 0,
      dbr_excluded: [],
      other_records_excluded: 0,
      other_sought_reports: 0,
      other_notretrieved_reports: 0,
      other_assessed: 0,
      other_excluded: [],
      new_studies: 0,
      pending: { screening: 3, assessment: 0, other_screening: 2, other_assessment: 0, total: 5 },
    });

    // Part way: 000 in at title/abstract (full text pending), 001 out, 002 in and not retrieved.
    await review.decide(r000, 'title-abstract', 'include');
    await review.decide(r001, 'title-abstract', 'exclude', 'Off topic');
    await review.decide(r002, 'title-abstract', 'include');
    await review.decide(r002, 'full-text', 'not-retrieved');
    checkExports(review.counts(), {
      ...base,
      records_excluded: 1,
      dbr_sought_reports: 1,
      dbr_notretrieved_reports: 0,
      dbr_assessed: 0,
      dbr_excluded: [],
      other_records_excluded: 0,
      other_sought_reports: 1,
      other_notretrieved_reports: 1,
      other_assessed: 0,
      other_excluded: [],
      new_studies: 0,
      pending: { screening: 1, assessment: 1, other_screening: 1, other_assessment: 0, total: 3 },
    });

    // Finished: 000 included; 003 excluded at full text for a reason typed as markup; 004 included.
    await review.decide(r000, 'full-text', 'include');
    await review.decide(r003, 'title-abstract', 'include');
    await review.decide(r003, 'full-text', 'exclude', SCRIPT_REASON);
    await review.decide(r004, 'title-abstract', 'include');
    await review.decide(r004, 'full-text', 'include');
    await review.flush();
    const final: Expected = {
      ...base,
      records_excluded: 1,
      dbr_sought_reports: 2,
      dbr_notretrieved_reports: 0,
      dbr_assessed: 2,
      dbr_excluded: [{ name: SCRIPT_REASON, n: 1 }],
      other_records_excluded: 0,
      other_sought_reports: 2,
      other_notretrieved_reports: 1,
      other_assessed: 1,
      other_excluded: [],
      new_studies: 2,
      pending: { screening: 0, assessment: 0, other_screening: 0, other_assessment: 0, total: 0 },
    };
    checkExports(review.counts(), final);

    // The same from the decisions on disk (another window, the CLI).
    const reopened = await Review.load(dir, { reviewer: 'bob@example.org', git: noGit });
    checkExports(reopened.counts(), final);
    reopened.dispose();
    review.dispose();
  });
});

describe('a generated review of 2,000 records from five sources', () => {
  /**
   * Unique records per source, plus duplicates found there:
   *   medline.ris  database MEDLINE              900          (identified 900)
   *   embase.ris   database Embase               700 + 150    (identified 850)
   *   ctgov.ris    register ClinicalTrials.gov   200 +  30    (identified 230)
   *   web.txt      website                       120 +  10    (identified 130)
   *   cites.ris    citation searching             80          (identified  80)
   * Decisions, by the record's position k among the 1,800 database/register records:
   *   k % 10 in 0..5 excluded at title/abstract (1,080); k % 10 = 6 undecided (180);
   *   k % 10 in 7..9 included (540), then by floor(k / 10) % 6: 0 not retrieved, 1 no full-text
   *   decision yet, 2 "Wrong population", 3 "Wrong outcome", 4 the markup reason, 5 included (90 each).
   * Other methods, by position m among the 200: m % 4 = 0 excluded (50); 1 included (50);
   *   2 excluded at full text, "Wrong study design" (50); m % 8 = 3 not retrieved (25); m % 8 = 7 "maybe" (25).
   */
  const SOURCES = [
    { file: 'medline.ris', category: 'database', name: 'MEDLINE', unique: 900, duplicates: 0 },
    { file: 'embase.ris', category: 'database', name: 'Embase', unique: 700, duplicates: 150 },
    { file: 'ctgov.ris', category: 'register', name: 'ClinicalTrials.gov', unique: 200, duplicates: 30 },
    { file: 'web.txt', category: 'website', unique: 120, duplicates: 10 },
    { file: 'cites.ris', category: 'citation-searching', unique: 80, duplicates: 0 },
  ] as const;

  function writeReview(): void {
    const records = [];
    const duplicates: DuplicateRecord[] = [];
    const decisions: Decision[] = [];
    const time = '2026-02-03T10:00:00.000Z';
    const decide = (record: string, stage: Decision['stage'], verdict: Decision['verdict'], reason: string | null = null) =>
      decisions.push({ record, stage, verdict, reason, note: null, time });
    let k = 0;
    let m = 0;
    for (const source of SOURCES) {
      for (let i = 0; i < source.unique; i++) {
        const id = `ref:${source.file.replace(/\W/g, '')}-${String(i).padStart(4, '0')}`;
        records.push(syntheticRecord(id, records.length, source.file));
        if (source.category === 'database' || source.category === 'register') {
          const group = Math.floor(k / 10) % 6;
          const slot = k % 10;
          k++;
          if (slot <= 5) decide(id, 'title-abstract', 'exclude', 'Off topic');
          else if (slot === 6) continue;
          else {
            decide(id, 'title-abstract', 'include');
            if (group === 0) decide(id, 'full-text', 'not-retrieved');
            else if (group === 2) decide(id, 'full-text', 'exclude', 'Wrong population');
            else if (group === 3) decide(id, 'full-text', 'exclude', 'Wrong outcome');
            else if (group === 4) decide(id, 'full-text', 'exclude', SCRIPT_REASON);
            else if (group === 5) decide(id, 'full-text', 'include');
          }
        } else {
          const slot = m % 8;
          m++;
          if (slot % 4 === 0) decide(id, 'title-abstract', 'exclude', 'Off topic');
          else if (slot % 4 === 1) {
            decide(id, 'title-abstract', 'include');
            decide(id, 'full-text', 'include');
          } else if (slot % 4 === 2) {
            decide(id, 'title-abstract', 'include');
            decide(id, 'full-text', 'exclude', 'Wrong study design');
          } else if (slot === 3) {
            decide(id, 'title-abstract', 'include');
            decide(id, 'full-text', 'not-retrieved');
          } else {
            decide(id, 'title-abstract', 'maybe');
          }
        }
      }
      for (let i = 0; i < source.duplicates; i++) {
        const of = records[records.length - 1 - i];
        duplicates.push({ ...syntheticRecord(`${of.id}-dup`, i, source.file), duplicateOf: of.id, duplicateReason: 'fields' });
      }
    }
    expect(records).toHaveLength(2000);
    mkdirSync(join(dir, 'screening', 'decisions'), { recursive: true });
    writeFileSync(
      join(dir, 'screening', 'review.json'),
      JSON.stringify({
        format: 'sr-screening-review',
        version: 1,
        title: 'Generated review <2,000 records>',
        sources: SOURCES.map(({ file, category, ...rest }) => ({ file, category, ...('name' in rest ? { name: rest.name } : {}) })),
        stages: { 'title-abstract': { reviewers: 1 }, 'full-text': { reviewers: 1, reasonRequired: true } },
      }),
    );
    decisions.sort((a, b) => (a.record < b.record ? -1 : a.record > b.record ? 1 : a.stage < b.stage ? 1 : a.stage > b.stage ? -1 : 0));
    writeFileSync(
      join(dir, 'screening', 'decisions', `${fileSafeReviewerId('ann@example.org')}.json`),
      `{"format":"sr-screening-decisions","version":1,"reviewer":"ann@example.org","decisions":[\n${decisions.map((d) => JSON.stringify(d)).join(',\n')}\n]}\n`,
    );
    outcome = {
      records,
      duplicates,
      problems: [],
      files: SOURCES.map((source) => ({ file: source.file, format: 'ris' as const, records: source.unique + source.duplicates, problems: 0 })),
    };
  }
  let outcome: ImportOutcome;

  it('shows the hand-computed numbers in the SVG, the CSV and the Markdown', async () => {
    writeReview();
    const review = await Review.load(dir, { reviewer: 'bob@example.org', git: noGit, outcome });
    expect(review.issues).toEqual([]);
    expect(review.records).toHaveLength(2000);
    const counts = review.counts();
    checkExports(counts, {
      database_results: 1750,
      database_specific_results: [
        { name: 'MEDLINE', n: 900 },
        { name: 'Embase', n: 850 },
      ],
      register_results: 230,
      register_specific_results: [{ name: 'ClinicalTrials.gov', n: 230 }],
      website_results: 130,
      organisation_results: 0,
      citations_results: 80,
      duplicates: 180,
      records_screened: 1800,
      records_excluded: 1080,
      dbr_sought_reports: 540,
      dbr_notretrieved_reports: 90,
      dbr_assessed: 360,
      // Equal counts: by name ('<' sorts before letters).
      dbr_excluded: [
        { name: SCRIPT_REASON, n: 90 },
        { name: 'Wrong outcome', n: 90 },
        { name: 'Wrong population', n: 90 },
      ],
      other_duplicates: 10,
      other_records_screened: 200,
      other_records_excluded: 50,
      other_sought_reports: 125,
      other_notretrieved_reports: 25,
      other_assessed: 100,
      other_excluded: [{ name: 'Wrong study design', n: 50 }],
      new_studies: 140,
      pending: { screening: 180, assessment: 90, other_screening: 25, other_assessment: 0, total: 295 },
    });
    // Thousands are grouped in the diagram; the title is escaped like everything else.
    const svg = prismaText(counts, 'svg', { reviewTitle: review.config.title });
    expect(svg).toContain('Databases (n = 1,750)');
    expect(svg).toContain('<title id="prisma-title">PRISMA 2020 flow diagram: Generated review &lt;2,000 records&gt;</title>');
    review.dispose();
  });
});
