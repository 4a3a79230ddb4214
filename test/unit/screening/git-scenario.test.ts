/**
 * Reviewers A and B and adjudicator C, each in their own clone of a review repository, screen with
 * real git: commit, push and pull in varying orders. No textual merge conflict may occur, every
 * decision must survive, the conflicts found must be exactly the planted ones, and PRISMA counts and
 * kappa must equal hand-computed values. Then one reviewer on several clones, with the merge driver
 * (and one clone without it, producing raw conflict markers).
 */
import { fileSafeReviewerId } from '../../../src/screening/reviewer';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/screening/decision';
import { hasConflictMarkers, readEntryFile } from '../../../src/screening/entry-file';
import { Review } from '../../../src/screening/review';
import { bundleCli, configureDriver, Git, gitEnv } from './helpers/git';

const SEEDS = resolve(__dirname, '../../../seeds');

let work: string;
let git: Git;
let cli: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sr-git-'));
  git = new Git(join(work, 'home'));
  cli = await bundleCli(work);
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Team {
  remote: string;
  clones: Record<string, string>;
}

/** A remote holding `files` plus review.json and .gitattributes, and one clone per person. */
async function team(name: string, populate: (dir: string) => void, people: Record<string, { email: string; driver: boolean }>): Promise<Team> {
  const root = join(work, name);
  const remote = join(root, 'remote.git');
  git.initRemote(remote);
  const setup = join(root, 'setup');
  git.clone(remote, setup, 'setup@x.org', 'Setup');
  populate(setup);
  await configureDriver(git, setup, cli); // writes .gitattributes
  git.commitAll(setup, 'Review set up');
  git.push(setup);
  const clones: Record<string, string> = {};
  for (const [person, { email, driver }] of Object.entries(people)) {
    const clone = join(root, person);
    git.clone(remote, clone, email, `Reviewer ${person}`);
    if (driver) await configureDriver(git, clone, cli);
    clones[person] = clone;
  }
  return { remote, clones };
}

const load = (dir: string) => Review.load(dir, { git: git.runner() });

function writeConfig(dir: string, config: object): void {
  mkdirSync(join(dir, 'screening'), { recursive: true });
  writeFileSync(join(dir, 'screening', 'review.json'), `${JSON.stringify(config, null, 2)}\n`);
}

function runCli(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: gitEnv(git.home) });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Pull that must merge cleanly. */
function pullClean(dir: string): void {
  const result = git.pull(dir);
  expect(result.status, result.output).toBe(0);
  expect(git.unmerged(dir)).toEqual([]);
}

function commitPush(dir: string, message: string): void {
  git.commitAll(dir, message);
  pullClean(dir);
  git.push(dir);
}

/** Cohen's kappa by hand from paired verdicts: (p_o − p_e) / (1 − p_e). */
function handKappa(pairs: [string, string][]): { po: number; kappa: number } {
  const n = pairs.length;
  const agree = pairs.filter(([a, b]) => a === b).length;
  const categories = new Set(pairs.flat());
  let pe = 0;
  for (const c of categories) pe += (pairs.filter(([a]) => a === c).length / n) * (pairs.filter(([, b]) => b === c).length / n);
  return { po: agree / n, kappa: (agree / n - pe) / (1 - pe) };
}

describe('two reviewers and an adjudicator on the seeds review', () => {
  it('screens, merges without conflicts, finds exactly the planted disagreements and counts PRISMA', async () => {
    const { clones } = await team(
      'seeds',
      (dir) => {
        cpSync(SEEDS, dir, { recursive: true });
        writeConfig(dir, {
          format: 'sr-screening-review',
          version: 1,
          sources: [
            { file: '000_5ac076b1b50789ed.txt', category: 'database', name: 'PubMed' },
            { file: '001_86ab03fc405a49da.txt', category: 'database', name: 'CORD-19' },
            { file: '003_dc436e7f8f4458aa.txt', category: 'database', name: 'PubMed' },
            { file: '002_f4066c9c8d01d0c3.txt', category: 'organisation' },
            { file: '004_162abf6513c8e8a2.txt', category: 'website' },
          ],
          stages: { 'title-abstract': { reviewers: 2 }, 'full-text': { reviewers: 2, reasonRequired: true } },
        });
      },
      { A: { email: 'a@x.org', driver: true }, B: { email: 'b@x.org', driver: true }, C: { email: 'c@x.org', driver: true } },
    );
    let a = await load(clones.A);
    let b = await load(clones.B);
    expect([a.reviewer, b.reviewer]).toEqual(['a@x.org', 'b@x.org']);
    expect(a.records).toHaveLength(5);
    const byFile = (prefix: string) => a.records.find((record) => record.provenance.file.startsWith(prefix))!.id;
    const [r0, r1, r2, r3, r4] = ['000', '001', '003', '002', '004'].map(byFile);

    // Title/abstract. Planted: r1 include vs exclude; r3 include vs maybe.
    await a.decide(r0, 'title-abstract', 'include');
    await a.decide(r1, 'title-abstract', 'include');
    await a.decide(r2, 'title-abstract', 'exclude');
    await a.decide(r3, 'title-abstract', 'include');
    await a.decide(r4, 'title-abstract', 'include');
    await b.decide(r0, 'title-abstract', 'include');
    await b.decide(r1, 'title-abstract', 'exclude');
    await b.decide(r2, 'title-abstract', 'exclude');
    await b.decide(r3, 'title-abstract', 'maybe');
    await b.decide(r4, 'title-abstract', 'include');
    commitPush(clones.A, 'A: title/abstract');
    commitPush(clones.B, 'B: title/abstract'); // B merges A's work
    pullClean(clones.A);
    await a.reload();
    await b.reload();

    // Full text of the agreed includes (r0, r4). Planted: r4 excluded for different reasons. B pushes first this time.
    await b.decide(r0, 'full-text', 'include');
    await b.decide(r4, 'full-text', 'exclude', 'Wrong outcome');
    await a.decide(r0, 'full-text', 'include');
    await a.decide(r4, 'full-text', 'exclude', 'Wrong study design');
    commitPush(clones.B, 'B: full text');
    commitPush(clones.A, 'A: full text');

    // The adjudicator.
    pullClean(clones.C);
    let c = await load(clones.C);
    expect(c.conflicts().map((conflict) => [conflict.record, conflict.stage, conflict.kind]).sort()).toEqual(
      [
        [r1, 'title-abstract', 'verdict'],
        [r3, 'title-abstract', 'verdict'],
        [r4, 'full-text', 'reason'],
      ].sort(),
    );
    // The CLI gates CI on unresolved conflicts.
    const gate = runCli('conflicts', clones.C, '--json');
    expect(gate.status).toBe(1);
    expect(JSON.parse(gate.stdout).unresolved).toBe(3);
    await c.resolve(r1, 'title-abstract', 'include');
    await c.resolve(r3, 'title-abstract', 'exclude', 'Off topic');
    await c.resolve(r4, 'full-text', 'exclude', 'Wrong outcome');
    expect(c.conflicts()).toEqual([]);
    expect(runCli('conflicts', clones.C).status).toBe(0);
    commitPush(clones.C, 'C: resolutions');

    // r1 now goes to full text: neither reviewer can get the report.
    pullClean(clones.A);
    await a.reload();
    await a.decide(r1, 'full-text', 'not-retrieved');
    commitPush(clones.A, 'A: r1 not retrieved');
    pullClean(clones.B);
    await b.reload();
    await b.decide(r1, 'full-text', 'not-retrieved', null, 'library has no access');
    commitPush(clones.B, 'B: r1 not retrieved');
    for (const person of ['A', 'C']) pullClean(clones[person]);

    const expected = {
      database_results: 3,
      database_specific_results: [
        { name: 'PubMed', n: 2 },
        { name: 'CORD-19', n: 1 },
      ],
      organisation_results: 1,
      website_results: 1,
      duplicates: 0,
      records_screened: 3,
      records_excluded: 1,
      dbr_sought_reports: 2,
      dbr_notretrieved_reports: 1,
      dbr_assessed: 1,
      dbr_excluded: [],
      dbr_included: 1,
      other_records_screened: 2,
      other_records_excluded: 1,
      other_sought_reports: 1,
      other_notretrieved_reports: 0,
      other_assessed: 1,
      other_excluded: [{ name: 'Wrong outcome', n: 1 }],
      other_included: 0,
      new_studies: 1,
      total_studies: 1,
      pending: { screening: 0, assessment: 0, other_screening: 0, other_assessment: 0, total: 0 },
    };
    for (const person of ['A', 'B', 'C']) {
      const review = await load(clones[person]);
      expect(review.issues).toEqual([]);
      expect(review.decisions(fileSafeReviewerId('a@x.org'))).toHaveLength(8);
      expect(review.decisions(fileSafeReviewerId('b@x.org'))).toHaveLength(8);
      expect(review.resolutions()).toHaveLength(3);
      expect(review.conflicts()).toEqual([]);
      expect(review.counts()).toMatchObject(expected);
      expect(review.status(r0).final).toBe('included');
      expect(review.status(r1).final).toBe('not-retrieved');
      expect(review.status(r3)).toMatchObject({ final: 'excluded', reason: 'Off topic' });
      // Title/abstract pairs (A, B): (inc,inc) (inc,exc) (exc,exc) (inc,maybe) (inc,inc).
      // Three categories: p_o = 3/5; p_e = (4·2 + 1·2 + 0·1)/25 = 0.4; kappa = 0.2/0.6 = 1/3.
      // Include vs not: p_o = 3/5; p_e = (4·2 + 1·3)/25 = 0.44; kappa = 0.16/0.56 = 2/7.
      const [ta, ft] = review.agreement();
      expect(ta).toMatchObject({ stage: 'title-abstract', reviewers: ['a@x.org', 'b@x.org'], n: 5 });
      expect(ta.verdicts.percentAgreement).toBeCloseTo(60, 10);
      expect(ta.verdicts.kappa!).toBeCloseTo(1 / 3, 10);
      expect(ta.includeVsNot.kappa!).toBeCloseTo(2 / 7, 10);
      // Full text: r0 include/include, r4 exclude/exclude, r1 not-retrieved/not-retrieved: kappa 1.
      expect(ft).toMatchObject({ stage: 'full-text', n: 3 });
      expect(ft.verdicts.kappa).toBe(1);
    }
    const prisma = runCli('prisma', clones.B, '--format', 'json');
    expect(prisma.status).toBe(0);
    expect(JSON.parse(prisma.stdout)).toMatchObject(expected);
    const agreement = runCli('agreement', clones.B, '--json');
    expect(JSON.parse(agreement.stdout)[0].verdicts.kappa).toBeCloseTo(1 / 3, 10);
    a = await load(clones.A);
    b = await load(clones.B);
    c = await load(clones.C);
    expect(a.decision(r4, 'full-text')?.reason).toBe('Wrong study design');
    expect(b.decision(r1, 'full-text')?.note).toBe('library has no access');
  }, 120_000);
});

describe('two reviewers and an adjudicator on a generated 2,000-record review', () => {
  const N = 2000;
  const doi = (i: number) => `10.5555/sr.${i}`;
  const id = (i: number) => `doi:${doi(i)}`;
  const base = (i: number): Verdict => (i % 10 < 3 ? 'include' : i % 10 === 9 ? 'maybe' : 'exclude');
  const planted = (i: number) => i >= 600 && i < 1400 && i % 37 === 0;
  const flip = (v: Verdict): Verdict => (v === 'include' ? 'exclude' : 'include');
  const verdictA = (i: number) => base(i);
  const verdictB = (i: number) => (planted(i) ? flip(base(i)) : base(i));
  const resolved = (i: number): Verdict => (i % 2 === 0 ? 'include' : 'exclude');
  const ftVerdict = (i: number): Verdict => (['include', 'exclude', 'not-retrieved'] as const)[i % 3];
  const ftReason = (i: number) => (i % 3 === 1 ? (i % 2 === 0 ? 'Wrong population' : 'Wrong outcome') : null);

  function ris(indices: number[]): string {
    const topics = ['physical health checks', 'integrated care', 'smoking cessation', 'weight management', 'diabetes screening'];
    return indices
      .map(
        (i) =>
          `TY  - JOUR\nTI  - Trial ${i} of ${topics[i % 5]} for adults with serious mental illness\nAU  - Author${i % 89}, Ann\nAU  - Coauthor${i % 53}, Ben\n` +
          `PY  - ${2000 + (i % 25)}\nJO  - Journal of Synthetic Studies\nDO  - ${doi(i)}\nAB  - Abstract of study ${i}.\nER  - \n`,
      )
      .join('\n');
  }

  it('keeps every decision through varied push/pull orders, and counts match the plan', async () => {
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
    const { clones } = await team(
      'big',
      (dir) => {
        // 1,200 records from MEDLINE and 900 from Embase, 100 of them (1100–1199) in both.
        writeFileSync(join(dir, 'medline.ris'), ris(range(0, 1200)));
        writeFileSync(join(dir, 'embase.ris'), ris(range(1100, 2000)));
        writeConfig(dir, {
          format: 'sr-screening-review',
          version: 1,
          sources: [
            { file: 'medline.ris', category: 'database', name: 'MEDLINE' },
            { file: 'embase.ris', category: 'database', name: 'Embase' },
          ],
          stages: { 'title-abstract': { reviewers: 2 }, 'full-text': { reviewers: 1, reasonRequired: true } },
        });
      },
      { A: { email: 'a@x.org', driver: true }, B: { email: 'b@x.org', driver: true }, C: { email: 'c@x.org', driver: true } },
    );
    const a = await load(clones.A);
    const b = await load(clones.B);
    expect(a.records).toHaveLength(N);
    expect(a.duplicates).toHaveLength(100);
    const screen = (review: Review, indices: number[], verdict: (i: number) => Verdict) =>
      Promise.all(indices.map((i) => review.decide(id(i), 'title-abstract', verdict(i))));

    await screen(a, range(0, 700), verdictA);
    commitPush(clones.A, 'A: 0-699');
    await screen(b, range(600, 1300), verdictB);
    commitPush(clones.B, 'B: 600-1299'); // merges A's first batch
    await screen(a, range(700, 1400), verdictA);
    commitPush(clones.A, 'A: 700-1399'); // merges B's first batch
    await screen(b, range(1300, 2000), verdictB);
    commitPush(clones.B, 'B: 1300-1999');
    pullClean(clones.A);

    // Adjudication.
    pullClean(clones.C);
    const c = await load(clones.C);
    const plantedIds = range(0, N).filter(planted).map(id).sort();
    expect(c.conflicts().map((conflict) => conflict.record).sort()).toEqual(plantedIds);
    expect(c.conflicts().every((conflict) => conflict.stage === 'title-abstract')).toBe(true);
    await Promise.all(range(0, N).filter(planted).map((i) => c.resolve(id(i), 'title-abstract', resolved(i))));
    commitPush(clones.C, 'C: resolutions');

    // Full text (one reviewer needed): A takes even records, B odd ones.
    const taIncluded = range(600, 1400).filter((i) => (planted(i) ? resolved(i) === 'include' : base(i) === 'include'));
    const ft = (review: Review, indices: number[]) => Promise.all(indices.map((i) => review.decide(id(i), 'full-text', ftVerdict(i), ftReason(i))));
    pullClean(clones.A);
    await a.reload();
    await ft(a, taIncluded.filter((i) => i % 2 === 0));
    commitPush(clones.A, 'A: full text');
    await b.reload();
    await ft(b, taIncluded.filter((i) => i % 2 === 1));
    commitPush(clones.B, 'B: full text');
    pullClean(clones.A);
    pullClean(clones.C);

    // The plan, counted by hand.
    const overlap = range(600, 1400);
    const taExcluded = overlap.filter((i) => (planted(i) ? resolved(i) === 'exclude' : base(i) === 'exclude')).length;
    const taMaybe = overlap.filter((i) => !planted(i) && base(i) === 'maybe').length;
    const ftCount = (v: Verdict, reason?: string) => taIncluded.filter((i) => ftVerdict(i) === v && (reason === undefined || ftReason(i) === reason)).length;
    const expected = {
      database_results: 2100,
      database_specific_results: [
        { name: 'MEDLINE', n: 1200 },
        { name: 'Embase', n: 900 },
      ],
      duplicates: 100,
      records_screened: 2000,
      records_excluded: taExcluded,
      dbr_sought_reports: taIncluded.length,
      dbr_notretrieved_reports: ftCount('not-retrieved'),
      dbr_assessed: ftCount('include') + ftCount('exclude'),
      dbr_included: ftCount('include'),
      new_studies: ftCount('include'),
      pending: { screening: 600 + 600 + taMaybe, assessment: 0, total: 1200 + taMaybe },
    };
    // Those numbers written out, as a check on the plan itself. Planted: 37k for k = 17…37 (21 records:
    // 6 of base include, 3 maybe, 12 exclude); resolved include when even (10), exclude when odd (11).
    // Included: 240 − 6 + 10 = 244; excluded: 480 − 12 + 11 = 479; agreed maybe: 80 − 3 = 77.
    expect(plantedIds).toHaveLength(21);
    expect(taIncluded.length).toBe(244);
    expect(taExcluded).toBe(479);
    expect(taMaybe).toBe(77);

    const pairs: [string, string][] = overlap.map((i) => [verdictA(i), verdictB(i)]);
    const hand = handKappa(pairs);
    const handBinary = handKappa(pairs.map(([x, y]) => [String(x === 'include'), String(y === 'include')]));
    for (const person of ['A', 'B', 'C']) {
      const review = await load(clones[person]);
      expect(review.issues).toEqual([]);
      // Every decision survived.
      const mine = (reviewer: string) => new Map(review.decisions(fileSafeReviewerId(reviewer)).map((d) => [`${d.record} ${d.stage}`, d.verdict]));
      const decidedA = mine('a@x.org');
      const decidedB = mine('b@x.org');
      for (const i of range(0, 1400)) expect(decidedA.get(`${id(i)} title-abstract`)).toBe(verdictA(i));
      for (const i of range(600, 2000)) expect(decidedB.get(`${id(i)} title-abstract`)).toBe(verdictB(i));
      for (const i of taIncluded) expect((i % 2 === 0 ? decidedA : decidedB).get(`${id(i)} full-text`)).toBe(ftVerdict(i));
      expect(decidedA.size).toBe(1400 + taIncluded.filter((i) => i % 2 === 0).length);
      expect(decidedB.size).toBe(1400 + taIncluded.filter((i) => i % 2 === 1).length);
      expect(review.resolutions()).toHaveLength(21);
      expect(review.conflicts()).toEqual([]);
      const counts = review.counts();
      expect(counts).toMatchObject(expected);
      expect(counts.dbr_excluded).toEqual(
        [
          { name: 'Wrong outcome', n: ftCount('exclude', 'Wrong outcome') },
          { name: 'Wrong population', n: ftCount('exclude', 'Wrong population') },
        ].sort((x, y) => y.n - x.n || (x.name < y.name ? -1 : 1)),
      );
      const [ta] = review.agreement();
      expect(ta).toMatchObject({ stage: 'title-abstract', n: 800 });
      expect(ta.verdicts.observed).toBeCloseTo(hand.po, 12);
      expect(ta.verdicts.kappa!).toBeCloseTo(hand.kappa, 12);
      expect(ta.includeVsNot.kappa!).toBeCloseTo(handBinary.kappa, 12);
      expect(review.agreement().filter((pair) => pair.stage === 'full-text')).toEqual([]); // A and B read different reports
    }
    expect(hand.po).toBeCloseTo(779 / 800, 12);
  }, 240_000);
});

describe('one reviewer on several clones', () => {
  it('merges the same decisions file decision by decision (later wins) and recovers raw conflict markers', async () => {
    const { clones } = await team(
      'same',
      (dir) => cpSync(SEEDS, dir, { recursive: true }),
      { A1: { email: 'a@x.org', driver: true }, A2: { email: 'a@x.org', driver: true }, A3: { email: 'a@x.org', driver: false } },
    );
    const file = (clone: string) => join(clone, 'screening', 'decisions', `${fileSafeReviewerId('a@x.org')}.json`);
    const verdicts = (clone: string) => {
      const text = readFileSync(file(clone), 'utf8');
      expect(hasConflictMarkers(text)).toBe(false);
      const read = readEntryFile('decisions', text);
      expect(read.status).toBe('ok');
      return read.status === 'ok' ? Object.fromEntries(read.entries.map((entry) => [entry.record, entry.verdict])) : {};
    };
    const a1 = await load(clones.A1);
    const a2 = await load(clones.A2);
    const a3 = await load(clones.A3);
    const [r0, r1, r2, r3, r4] = a1.records.map((record) => record.id);

    // A1 and A2 work on different and on the same records; A2 decides r1 later.
    await a1.decide(r0, 'title-abstract', 'include');
    await a1.decide(r1, 'title-abstract', 'exclude');
    git.commitAll(clones.A1, 'A1');
    git.push(clones.A1);
    await a2.decide(r1, 'title-abstract', 'include');
    await a2.decide(r2, 'title-abstract', 'maybe');
    git.commitAll(clones.A2, 'A2');
    pullClean(clones.A2); // the merge driver merges a@x.org.json
    expect(verdicts(clones.A2)).toEqual({ [r0]: 'include', [r1]: 'include', [r2]: 'maybe' });
    git.push(clones.A2);

    // A3 has no merge driver: git's text merge leaves conflict markers.
    await a3.decide(r3, 'title-abstract', 'exclude');
    await a3.decide(r0, 'title-abstract', 'maybe'); // later than A1's include
    git.commitAll(clones.A3, 'A3');
    const pulled = git.pull(clones.A3);
    expect(pulled.status).not.toBe(0);
    expect(git.unmerged(clones.A3)).toEqual([`screening/decisions/${fileSafeReviewerId('a@x.org')}.json`]);
    expect(hasConflictMarkers(readFileSync(file(clones.A3), 'utf8'))).toBe(true);
    // The Review recovers both sides instead of failing.
    const recovered = await load(clones.A3);
    expect(recovered.issues.map((issue) => issue.message).join(' ')).toMatch(/conflict markers/);
    expect(Object.fromEntries(recovered.decisions().map((d) => [d.record, d.verdict]))).toEqual({
      [r0]: 'maybe',
      [r1]: 'include',
      [r2]: 'maybe',
      [r3]: 'exclude',
    });
    // Someone commits the file with its markers as it is, and pushes.
    git.commitAll(clones.A3, 'A3: merge (markers committed as they were)');
    git.push(clones.A3);

    // A1 meanwhile decided r4; pulling runs the driver with a conflicted THEIRS: recovered and merged.
    await a1.decide(r4, 'title-abstract', 'include');
    git.commitAll(clones.A1, 'A1: r4');
    pullClean(clones.A1);
    const expected = { [r0]: 'maybe', [r1]: 'include', [r2]: 'maybe', [r3]: 'exclude', [r4]: 'include' };
    expect(verdicts(clones.A1)).toEqual(expected);
    git.push(clones.A1);
    for (const clone of [clones.A2, clones.A3]) {
      pullClean(clone);
      expect(verdicts(clone)).toEqual(expected);
    }
    // The open windows pick it all up.
    await a1.reload();
    await a2.reload();
    expect(Object.fromEntries(a2.decisions().map((d) => [d.record, d.verdict]))).toEqual(expected);
    expect(a2.issues).toEqual([]);
  }, 120_000);
});
