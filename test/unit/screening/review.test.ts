import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importFiles, type ImportInput } from '../../../src/screening/import-records';
import { ImportCancelled } from '../../../src/screening/import-service';
import { readEntryFile } from '../../../src/screening/entry-file';
import { Review, ReviewError, type ReviewChange } from '../../../src/screening/review';
import { fileSafeReviewerId, chooseReviewerId } from '../../../src/screening/reviewer';

const SEEDS = resolve(__dirname, '../../../seeds');
const FIXTURES = resolve(__dirname, '../../fixtures/screening');
const noGit = async () => ({ code: 1, stdout: '', stderr: '' });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-review-'));
  cpSync(SEEDS, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (reviewer: string) => Review.load(dir, { reviewer, git: noGit });
const key = (reviewer: string) => fileSafeReviewerId(reviewer);
const decisionsPath = (reviewer: string) => join(dir, 'screening', 'decisions', `${fileSafeReviewerId(reviewer)}.json`);

describe('opening a folder without review.json (the seeds)', () => {
  it('takes every file as a source, databases from exports and websites from plain text', async () => {
    const review = await open('a@x.org');
    expect(review.configExists).toBe(false);
    expect(review.records).toHaveLength(5);
    const byFile = Object.fromEntries(review.config.sources.map((source) => [source.file, source]));
    expect(byFile['000_5ac076b1b50789ed.txt']).toEqual({ file: '000_5ac076b1b50789ed.txt', category: 'database', name: '000_5ac076b1b50789ed' });
    expect(byFile['001_86ab03fc405a49da.txt']).toEqual({ file: '001_86ab03fc405a49da.txt', category: 'database', name: 'CORD-19' });
    expect(byFile['003_dc436e7f8f4458aa.txt'].category).toBe('database');
    expect(byFile['002_f4066c9c8d01d0c3.txt'].category).toBe('website');
    expect(byFile['004_162abf6513c8e8a2.txt'].category).toBe('website');
    // Databases are imported first.
    expect(review.config.sources.map((source) => source.category)).toEqual(['database', 'database', 'database', 'website', 'website']);
    const counts = review.counts();
    expect(counts).toMatchObject({ database_results: 3, website_results: 2, records_screened: 3, other_records_screened: 2 });
    expect(counts.pending.total).toBe(5);
    expect(review.issues).toEqual([]);
    // Nothing is written by opening.
    expect(existsSync(join(dir, 'screening'))).toBe(false);
  });

  it('ignores dot-files, screening/ and project files', async () => {
    writeFileSync(join(dir, '.hidden.ris'), 'TY  - JOUR\nTI  - Hidden\nER  - \n');
    writeFileSync(join(dir, 'README.md'), '# My review\n');
    const review = await open('a@x.org');
    expect(review.config.sources.map((source) => source.file).sort()).toEqual(readdirSync(SEEDS).sort());
  });
});

describe('sources and settings', () => {
  it('picks up a new source file and a changed review.json on reload', async () => {
    const review = await open('a@x.org');
    const events: string[] = [];
    review.onDidChange((event) => events.push(event.kind));
    writeFileSync(join(dir, 'extra.ris'), 'TY  - JOUR\nTI  - An extra record about integrated care\nAU  - Doe, Jane\nPY  - 2021\nDO  - 10.9999/extra.1\nER  - \n');
    await review.reload(join(dir, 'extra.ris'));
    expect(review.records).toHaveLength(6);
    expect(events).toEqual(['records']);
    const config = { ...review.config, sources: review.config.sources.map((source) => (source.file.startsWith('002') ? { file: source.file, category: 'organisation' as const } : source)) };
    await review.saveConfig(config);
    expect(review.configExists).toBe(true);
    expect(review.counts()).toMatchObject({ organisation_results: 1, website_results: 1, database_results: 4 });
    const written = JSON.parse(readFileSync(join(dir, 'screening', 'review.json'), 'utf8'));
    expect(written.sources.find((source: { file: string }) => source.file.startsWith('002')).category).toBe('organisation');
    // Edited by hand elsewhere: two reviewers at title/abstract.
    writeFileSync(join(dir, 'screening', 'review.json'), JSON.stringify({ ...written, stages: { ...written.stages, 'title-abstract': { reviewers: 2 } } }, null, 2));
    await review.reload(join(dir, 'screening', 'review.json'));
    expect(review.config.stages['title-abstract'].reviewers).toBe(2);
    await review.decide(review.records[0].id, 'title-abstract', 'include');
    expect(review.status(review.records[0].id).titleAbstract.state).toBe('awaiting');
  });

  it('adds a source only when its import completes: a cancelled or failed import changes nothing', async () => {
    let release: (() => void) | undefined;
    let failNext = false;
    const importer = async (inputs: ImportInput[], signal?: AbortSignal) => {
      if (inputs.some((input) => input.file === 'extra.ris')) {
        if (failNext) throw new Error('the parser broke');
        // Slow, like a large file in the worker: cancellation arrives meanwhile.
        await new Promise<void>((resolve, reject) => {
          release = resolve;
          signal?.addEventListener('abort', () => reject(new ImportCancelled()), { once: true });
        });
      }
      return importFiles(inputs);
    };
    const review = await Review.load(dir, { reviewer: 'a@x.org', git: noGit, importer });
    await review.saveConfig(review.config);
    const before = readFileSync(join(dir, 'screening', 'review.json'), 'utf8');
    writeFileSync(join(dir, 'extra.ris'), 'TY  - JOUR\nTI  - An extra record about integrated care\nAU  - Doe, Jane\nPY  - 2021\nDO  - 10.9999/extra.1\nER  - \n');
    const withExtra = { ...review.config, sources: [...review.config.sources, { file: 'extra.ris', category: 'database' as const, name: 'Embase' }] };
    const events: string[] = [];
    review.onDidChange((event) => events.push(event.kind));

    const cancel = new AbortController();
    const saving = review.saveConfig(withExtra, { signal: cancel.signal });
    await vi.waitFor(() => expect(release).toBeDefined());
    cancel.abort();
    await expect(saving).rejects.toBeInstanceOf(ImportCancelled);
    expect(readFileSync(join(dir, 'screening', 'review.json'), 'utf8')).toBe(before);
    expect(review.records).toHaveLength(5);
    expect(review.config.sources).toHaveLength(5);
    expect(events).toEqual([]);

    failNext = true;
    await expect(review.saveConfig(withExtra)).rejects.toThrow('the parser broke');
    expect(readFileSync(join(dir, 'screening', 'review.json'), 'utf8')).toBe(before);
    expect(review.records).toHaveLength(5);

    failNext = false;
    release = undefined;
    const done = review.saveConfig(withExtra);
    await vi.waitFor(() => expect(release).toBeDefined());
    release!();
    await done;
    expect(review.records).toHaveLength(6);
    expect(JSON.parse(readFileSync(join(dir, 'screening', 'review.json'), 'utf8')).sources).toHaveLength(6);
    expect(events).toEqual(['config', 'records']);
  });

  it('reports an invalid review.json with its line and uses defaults', async () => {
    mkdirSync(join(dir, 'screening'), { recursive: true });
    writeFileSync(join(dir, 'screening', 'review.json'), '{\n  "format": "sr-screening-review",\n  "version": 1,\n  "sources": [\n    { "file": "000_5ac076b1b50789ed.txt", "category": "journal" }\n  ],\n  "stages": { "title-abstract": {}, "full-text": {} }\n}\n');
    const review = await open('a@x.org');
    expect(review.issues[0]).toMatchObject({ file: 'screening/review.json', line: 5, severity: 'error' });
    expect(review.records).toHaveLength(5);
  });
});

describe('recording decisions', () => {
  it('writes the reviewer file durably before resolving, in the line format', async () => {
    const review = await open('Ann Smith <ann@x.org>');
    const [first, second] = review.records;
    await review.decide(second.id, 'title-abstract', 'exclude', 'Off topic');
    await review.decide(first.id, 'title-abstract', 'include', null, 'looks relevant');
    const text = readFileSync(decisionsPath('Ann Smith <ann@x.org>'), 'utf8');
    expect(decisionsPath('Ann Smith <ann@x.org>')).toMatch(/ann-smith-ann@x\.org~[0-9a-f]{10}\.json$/);
    const lines = text.split('\n');
    expect(lines[0]).toBe('{"format":"sr-screening-decisions","version":1,"reviewer":"Ann Smith <ann@x.org>","decisions":[');
    const ids = [first.id, second.id].sort();
    expect(lines[1]).toContain(`"record":${JSON.stringify(ids[0])}`);
    expect(lines[2]).toContain(`"record":${JSON.stringify(ids[1])}`);
    expect(lines[1].endsWith(',')).toBe(true);
    expect(lines.slice(3)).toEqual([']}', '']);
    expect(readFileSync(join(dir, 'screening', '.gitignore'), 'utf8')).toContain('.*.tmp');
  });

  it('validates verdicts, stages, reasons and record ids', async () => {
    const review = await open('a@x.org');
    const id = review.records[0].id;
    await expect(review.decide('nope', 'title-abstract', 'include')).rejects.toThrow(ReviewError);
    await expect(review.decide(id, 'title-abstract', 'not-retrieved')).rejects.toThrow(/full text/);
    await expect(review.decide(id, 'full-text', 'exclude')).rejects.toThrow(/needs a reason/);
    await expect(review.decide(id, 'full-text', 'exclude', '  ')).rejects.toThrow(/needs a reason/);
    await review.decide(id, 'full-text', 'exclude', 'Wrong population');
  });

  it('undoes the last change, restoring what it replaced', async () => {
    const review = await open('a@x.org');
    const id = review.records[0].id;
    await review.decide(id, 'title-abstract', 'include');
    await review.decide(id, 'title-abstract', 'exclude');
    expect(review.decision(id, 'title-abstract')?.verdict).toBe('exclude');
    await review.undo();
    expect(review.decision(id, 'title-abstract')?.verdict).toBe('include');
    await review.undo();
    expect(review.decision(id, 'title-abstract')).toBeUndefined();
    const read = readEntryFile('decisions', readFileSync(decisionsPath('a@x.org'), 'utf8'));
    expect(read.status === 'ok' && read.entries).toEqual([]);
    expect(await review.undo()).toBeUndefined();
  });

  it('undo restores the previous decision with its note; a note edit is not an undo step of its own', async () => {
    const review = await open('a@x.org');
    const id = review.records[1].id;
    await review.decide(id, 'title-abstract', 'maybe', null, 'ask the team');
    await review.decide(id, 'title-abstract', 'include', null, 'ask the team');
    await review.setNote(id, 'title-abstract', 'team agreed');
    expect(review.decision(id, 'title-abstract')).toMatchObject({ verdict: 'include', note: 'team agreed' });
    const first = await review.undo();
    expect(first?.undone).toMatchObject({ verdict: 'include', note: 'team agreed' });
    expect(first?.restored).toMatchObject({ verdict: 'maybe', note: 'ask the team' });
    expect(review.decision(id, 'title-abstract')).toMatchObject({ verdict: 'maybe', note: 'ask the team' });
    const second = await review.undo();
    expect(second?.restored).toBeUndefined();
    expect(second?.undone).toMatchObject({ verdict: 'maybe', note: 'ask the team' });
    expect(review.decision(id, 'title-abstract')).toBeUndefined();
    await expect(review.setNote(id, 'title-abstract', 'x')).rejects.toThrow(ReviewError);
  });

  it('fires change events', async () => {
    const review = await open('a@x.org');
    const events: ReviewChange[] = [];
    review.onDidChange((event) => events.push(event));
    await review.decide(review.records[0].id, 'title-abstract', 'include');
    expect(events).toEqual([{ kind: 'decisions', reviewer: key('a@x.org'), records: [review.records[0].id], external: false }]);
  });
});

describe('status, conflicts and resolutions', () => {
  async function twoReviewers() {
    mkdirSync(join(dir, 'screening'), { recursive: true });
    const config = {
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
    };
    writeFileSync(join(dir, 'screening', 'review.json'), JSON.stringify(config, null, 2));
    return [await open('a@x.org'), await open('b@x.org')];
  }

  it('needs two reviewers, finds disagreements, applies resolutions, and gates full text on title/abstract', async () => {
    const [a, b] = await twoReviewers();
    const ids = a.records.map((record) => record.id);
    expect(a.configExists).toBe(true);
    await a.decide(ids[0], 'title-abstract', 'include');
    expect(a.status(ids[0]).titleAbstract.state).toBe('awaiting');
    await b.decide(ids[0], 'title-abstract', 'include');
    await a.decide(ids[1], 'title-abstract', 'include');
    await b.decide(ids[1], 'title-abstract', 'exclude');
    await a.decide(ids[2], 'title-abstract', 'maybe');
    await b.decide(ids[2], 'title-abstract', 'maybe');
    await a.decide(ids[3], 'title-abstract', 'exclude');
    await b.decide(ids[3], 'title-abstract', 'exclude');
    await a.reload();
    expect(a.status(ids[0])).toMatchObject({ final: 'pending', titleAbstract: { state: 'included', decidedBy: 'agreement' }, fullText: { state: 'undecided' } });
    expect(a.status(ids[1]).titleAbstract).toMatchObject({ state: 'conflict', conflict: 'verdict' });
    expect(a.status(ids[1]).fullText.state).toBe('not-applicable');
    expect(a.status(ids[2]).titleAbstract.state).toBe('maybe');
    expect(a.status(ids[3])).toMatchObject({ final: 'excluded', finalStage: 'title-abstract' });
    expect(a.conflicts().map((conflict) => conflict.record)).toEqual([ids[1]]);

    // Full text: both exclude, for different reasons -> a reason conflict.
    await a.decide(ids[0], 'full-text', 'exclude', 'Wrong population');
    await b.decide(ids[0], 'full-text', 'exclude', 'Wrong outcome');
    await a.reload();
    expect(a.conflicts().map((conflict) => [conflict.record, conflict.stage, conflict.kind])).toEqual([
      [ids[0], 'full-text', 'reason'],
      [ids[1], 'title-abstract', 'verdict'],
    ]);

    const c = await open('c@x.org');
    await c.resolve(ids[1], 'title-abstract', 'include', null, 'meets criteria');
    await c.resolve(ids[0], 'full-text', 'exclude', 'Wrong outcome');
    expect(c.conflicts()).toEqual([]);
    expect(c.conflicts({ includeResolved: true })).toHaveLength(2);
    expect(c.status(ids[1])).toMatchObject({ titleAbstract: { state: 'included', decidedBy: 'resolution', conflict: 'verdict' }, fullText: { state: 'undecided' } });
    expect(c.status(ids[0])).toMatchObject({ final: 'excluded', finalStage: 'full-text', reason: 'Wrong outcome' });
    const resolutions = JSON.parse(readFileSync(join(dir, 'screening', 'resolutions.json'), 'utf8'));
    expect(resolutions.resolutions.map((r: { by: string }) => r.by)).toEqual(['c@x.org', 'c@x.org']);

    const counts = c.counts();
    expect(counts).toMatchObject({
      database_results: 3,
      database_specific_results: [
        { name: 'PubMed', n: 2 },
        { name: 'CORD-19', n: 1 },
      ],
      organisation_results: 1,
      website_results: 1,
      records_screened: 3,
      dbr_excluded: [{ name: 'Wrong outcome', n: 1 }],
    });
  });

  it("picks up another window's decisions on reload, with an event", async () => {
    const [a, b] = await twoReviewers();
    const events: ReviewChange[] = [];
    a.onDidChange((event) => events.push(event));
    await b.decide(a.records[0].id, 'title-abstract', 'exclude');
    await a.reload(decisionsPath('b@x.org'));
    expect(a.reviewers()).toEqual([key('a@x.org'), key('b@x.org')]);
    expect(events).toEqual([{ kind: 'decisions', reviewer: key('b@x.org'), records: [a.records[0].id], external: true }]);
    // A deleted reviewer file disappears on reload.
    rmSync(decisionsPath('b@x.org'));
    await a.reload();
    expect(a.reviewers()).toEqual([key('a@x.org')]);
    expect(a.status(a.records[0].id).titleAbstract.state).toBe('undecided');
  });
});

describe('never clobbering the file on disk', () => {
  it('merges changes made to my file elsewhere (another window, a pull) before writing', async () => {
    const first = await open('a@x.org');
    const second = await open('a@x.org');
    const [r0, r1, r2] = first.records.map((record) => record.id);
    await first.decide(r0, 'title-abstract', 'include');
    await second.decide(r1, 'title-abstract', 'exclude'); // second has not seen r0
    await first.decide(r2, 'title-abstract', 'maybe'); // first has not seen r1
    const read = readEntryFile('decisions', readFileSync(decisionsPath('a@x.org'), 'utf8'));
    expect(read.status).toBe('ok');
    if (read.status !== 'ok') return;
    expect(Object.fromEntries(read.entries.map((entry) => [entry.record, entry.verdict]))).toEqual({ [r0]: 'include', [r1]: 'exclude', [r2]: 'maybe' });
    expect(first.decision(r1, 'title-abstract')?.verdict).toBe('exclude');
  });

  it('never overwrites a file of a newer version', async () => {
    mkdirSync(join(dir, 'screening', 'decisions'), { recursive: true });
    const newer = readFileSync(join(FIXTURES, 'decisions-v2.json'), 'utf8');
    writeFileSync(decisionsPath('a@x.org'), newer);
    const review = await open('a@x.org');
    expect(review.writable).toBe(false);
    expect(review.issues[0]).toMatchObject({ file: `screening/decisions/${fileSafeReviewerId('a@x.org')}.json`, severity: 'error' });
    expect(review.issues[0].message).toMatch(/newer version/);
    await expect(review.decide(review.records[0].id, 'title-abstract', 'include')).rejects.toThrow(/newer version/);
    expect(readFileSync(decisionsPath('a@x.org'), 'utf8')).toBe(newer);
    expect(review.decision(review.records[0].id, 'title-abstract')).toBeUndefined();
  });

  it('never overwrites an invalid file, and says where it is wrong', async () => {
    mkdirSync(join(dir, 'screening', 'decisions'), { recursive: true });
    const broken = '{"format":"sr-screening-decisions","version":1,"reviewer":"a@x.org","decisions":[\n{"record":"x","stage":"title-abstract"\n]}\n';
    writeFileSync(decisionsPath('a@x.org'), broken);
    const review = await open('a@x.org');
    expect(review.issues[0]).toMatchObject({ file: `screening/decisions/${fileSafeReviewerId('a@x.org')}.json`, line: 3, severity: 'error' });
    await expect(review.decide(review.records[0].id, 'title-abstract', 'include')).rejects.toThrow(ReviewError);
    expect(readFileSync(decisionsPath('a@x.org'), 'utf8')).toBe(broken);
  });

  it('refuses to write over a file that became newer on disk after loading', async () => {
    const review = await open('a@x.org');
    await review.decide(review.records[0].id, 'title-abstract', 'include');
    const newer = readFileSync(join(FIXTURES, 'decisions-v2.json'), 'utf8');
    writeFileSync(decisionsPath('a@x.org'), newer);
    await expect(review.decide(review.records[1].id, 'title-abstract', 'include')).rejects.toThrow(/newer version/);
    expect(readFileSync(decisionsPath('a@x.org'), 'utf8')).toBe(newer);
  });

  it('migrates a version-0 file on the next save, keeping its decisions', async () => {
    mkdirSync(join(dir, 'screening', 'decisions'), { recursive: true });
    writeFileSync(decisionsPath('a@x.org'), readFileSync(join(FIXTURES, 'decisions-v0.json')));
    const review = await open('a@x.org');
    expect(review.decisions()).toHaveLength(4);
    expect(review.issues[0].message).toMatch(/Version 0 file read and migrated/);
    const target = review.records.find((record) => record.provenance.file.startsWith('004'))!;
    await review.decide(target.id, 'title-abstract', 'exclude', 'Off topic');
    const read = readEntryFile('decisions', readFileSync(decisionsPath('a@x.org'), 'utf8'));
    expect(read.status === 'ok' && read.migratedFrom).toBeUndefined();
    expect(read.status === 'ok' && read.entries).toHaveLength(5);
    expect(review.issues).toEqual([]);
  });

  it('recovers a file with git conflict markers and writes the merged file on the next save', async () => {
    mkdirSync(join(dir, 'screening', 'decisions'), { recursive: true });
    const review0 = await open('a@x.org');
    const [r0, r1, r2] = review0.records.map((record) => record.id);
    const line = (record: string, verdict: string, time: string) =>
      `{"record":${JSON.stringify(record)},"stage":"title-abstract","verdict":"${verdict}","reason":null,"note":null,"time":"${time}"}`;
    writeFileSync(
      decisionsPath('a@x.org'),
      '{"format":"sr-screening-decisions","version":1,"reviewer":"a@x.org","decisions":[\n' +
        '<<<<<<< HEAD\n' +
        `${line(r0, 'include', '2026-01-01T00:00:01.000Z')}\n` +
        '=======\n' +
        `${line(r0, 'exclude', '2026-01-01T00:00:02.000Z')},\n${line(r1, 'maybe', '2026-01-01T00:00:02.000Z')}\n` +
        '>>>>>>> theirs\n' +
        ']}\n',
    );
    const review = await open('a@x.org');
    expect(review.issues[0]).toMatchObject({ severity: 'warning' });
    expect(review.issues[0].message).toMatch(/conflict markers/);
    expect(review.decision(r0, 'title-abstract')?.verdict).toBe('exclude');
    expect(review.decision(r1, 'title-abstract')?.verdict).toBe('maybe');
    await review.decide(r2, 'title-abstract', 'include');
    const read = readEntryFile('decisions', readFileSync(decisionsPath('a@x.org'), 'utf8'));
    expect(read.status).toBe('ok');
    expect(read.status === 'ok' && read.entries.map((entry) => entry.verdict).sort()).toEqual(['exclude', 'include', 'maybe']);
  });
});

describe('reviewer ids', () => {
  it('prefers an override, then git e-mail, then git name, then the setting', () => {
    expect(chooseReviewerId({ override: 'o', gitEmail: 'e@x', gitName: 'N', fallback: 'f' })).toBe('o');
    expect(chooseReviewerId({ gitEmail: 'e@x', gitName: 'N', fallback: 'f' })).toBe('e@x');
    expect(chooseReviewerId({ gitEmail: ' ', gitName: 'N', fallback: 'f' })).toBe('N');
    expect(chooseReviewerId({ fallback: 'f' })).toBe('f');
    expect(chooseReviewerId({})).toBe('anonymous');
  });

  it('makes file-safe names: a readable part, and a hash of the exact id', () => {
    const readable = (id: string) => fileSafeReviewerId(id).split('~')[0];
    expect(readable('Ann.Smith@Example.org')).toBe('ann.smith@example.org');
    expect(readable('José Müller')).toBe('jose-muller');
    expect(readable('../../etc/passwd')).toBe('etc-passwd');
    expect(readable('a/b\\c:d*e?f"g<h>i|j')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(readable('CON')).toBe('con_');
    expect(readable('...')).toBe('anonymous');
    expect(fileSafeReviewerId('x'.repeat(300))).toHaveLength(91);
    expect(fileSafeReviewerId('ann@x.org')).toMatch(/^ann@x\.org~[0-9a-f]{10}$/);
    expect(fileSafeReviewerId('ann@x.org')).toBe(fileSafeReviewerId('ann@x.org'));
  });

  it('gives different reviewer ids different files: case, punctuation, long ids alike at the start', () => {
    const pairs = [
      ['Ann@X.org', 'ann@x.org'],
      ['Ann Smith', 'ann-smith'],
      ['ann smith', 'ann  smith'],
      [`${'a'.repeat(100)}1`, `${'a'.repeat(100)}2`],
      ['José', 'Jose'],
    ];
    for (const [a, b] of pairs) {
      expect(fileSafeReviewerId(a), `${a} / ${b}`).not.toBe(fileSafeReviewerId(b));
      // Also on case-insensitive file systems (macOS, Windows).
      expect(fileSafeReviewerId(a).toLowerCase()).not.toBe(fileSafeReviewerId(b).toLowerCase());
    }
  });

  it('reads the id from git when no override is given', async () => {
    const git = async (args: string[]) => (args[1] === 'user.email' ? { code: 0, stdout: 'g@x.org\n', stderr: '' } : { code: 0, stdout: 'G\n', stderr: '' });
    const review = await Review.load(dir, { git });
    expect(review.reviewer).toBe('g@x.org');
  });
});
