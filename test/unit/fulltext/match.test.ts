/**
 * Matching PDFs to records on real records (../shared/corpus: titles, DOIs, abstracts and the file
 * paths their exports carry) and real PDFs made at test time.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fulltextCommand } from '../../../src/cli/fulltext';
import { Review } from '../../../src/screening/review';
import { FullTexts, FULLTEXT_FILE } from '../../../src/screening/fulltext/fulltext';
import { fileNameKey, importedPdfPaths } from '../../../src/screening/fulltext/match';
import { readLinks } from '../../../src/screening/fulltext/links-file';
import { readPdfFacts } from '../../../src/screening/fulltext/pdf-text';
import type { BibRecord } from '../../../src/screening/record';
import { CORPUS_DIR, corpusAvailable } from '../helpers/corpus';
import { articlePdf, damagedPdf } from '../../support/make-pdf';

const noGit = async () => ({ code: 1, stdout: '', stderr: '' });
const MENDELEY = 'ris/CiteSource__RM.ris';
const ENDNOTE = 'ris/synthesisr__citesource_issue_24.ris';

let dir: string;
let review: Review;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sr-fulltext-'));
  for (const file of [MENDELEY, ENDNOTE]) copyFileSync(join(CORPUS_DIR, file), join(dir, file.slice(4)));
  review = await Review.load(dir, { reviewer: 'ann@example.org', git: noGit });
});
afterEach(() => {
  review?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function put(file: string, bytes: Uint8Array): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), bytes);
}

function byTitle(start: string): BibRecord {
  const found = review.records.find((record) => record.title.startsWith(start));
  if (!found) throw new Error(`no record titled ${start}`);
  return found;
}

/** Real records with a DOI, a title long enough and no PDF path in the export, from the Mendeley export. */
function withDoi(count: number, skip = 0): BibRecord[] {
  return review.records
    .filter((record) => record.provenance.file.endsWith('CiteSource__RM.ris') && record.doi && record.title.length > 40 && importedPdfPaths(record).length === 0)
    .slice(skip, skip + count);
}

async function includeAll(records: readonly BibRecord[]): Promise<void> {
  for (const record of records) await review.decide(record.id, 'title-abstract', 'include');
}

describe.skipIf(!corpusAvailable)('matching PDFs to real records', () => {
  it('keeps the file paths the imports carry (RIS L1 from Mendeley, L1 internal-pdf from EndNote)', () => {
    const mendeley = byTitle('The Use and Management of Mangrove Ecosystems in Pakistan');
    expect(importedPdfPaths(mendeley).some((path) => path.at(-1)?.startsWith('Adhikari, Williams, Lovett - 2007'))).toBe(false);
    const adhikari = review.records.find((record) => importedPdfPaths(record).some((path) => path.at(-1) === 'Adhikari, Williams, Lovett - 2007 - Local benefits from community forests in the middle hills of Nepal.pdf'));
    expect(adhikari?.title).toMatch(/Local benefits from community forests/);
    const leisher = byTitle('Does the gender composition of forest and fishery management groups');
    expect(importedPdfPaths(leisher)).toContainEqual(['1935674145', 'Leisher-2015-Does the gender composition of fo.pdf']);
  });

  it('matches by file name, import path, the PDF\'s DOI and its title, and says how', async () => {
    const [named, encoded, doiOnly, titleOnly, metadataOnly] = withDoi(5);
    const adhikari = review.records.find((record) => /Local benefits from community forests/.test(record.title))!;
    const leisher = byTitle('Does the gender composition of forest and fishery management groups');
    const stranger = withDoi(1, 40)[0];
    await includeAll([named, encoded, doiOnly, titleOnly, metadataOnly, adhikari, leisher]);

    put(`fulltext/${named.id.replace(/[^a-z0-9.-]+/gi, '_')}.pdf`, await articlePdf({ title: 'Unrelated cover page without a title', doi: undefined }, { noTextLayer: true }));
    put(`fulltext/${encodeURIComponent(encoded.doi!)}.pdf`, await articlePdf(encoded, { noTextLayer: true }));
    put('fulltext/Mendeley Desktop/Adhikari, Williams, Lovett - 2007 - Local benefits from community forests in the middle hills of Nepal.pdf', await articlePdf(adhikari, { noTextLayer: true }));
    put('library.Data/PDF/1935674145/Leisher-2015-Does the gender composition of fo.pdf', await articlePdf(leisher, { noTextLayer: true }));
    put('fulltext/download (3).pdf', await articlePdf({ ...doiOnly, title: 'Title lost in the scan' }));
    put('fulltext/scan_0042.pdf', await articlePdf(titleOnly, { doiOnPage: false }));
    put('fulltext/document.pdf', await articlePdf(metadataOnly, { noTextLayer: true, metadata: true }));
    // A paper of another review, and a PDF whose name and content say nothing.
    put('fulltext/other-review.pdf', await articlePdf({ title: 'Effects of caffeine on sleep latency in healthy adults: a randomised trial', abstract: 'Nothing to do with forests.', doi: '10.9999/not.in.review' }));
    put('fulltext/IMG_2291.pdf', await articlePdf(stranger, { noTextLayer: true }));

    const fullTexts = await FullTexts.load(review);
    expect(fullTexts.files).toHaveLength(9);
    const summary = await fullTexts.match();
    const how = Object.fromEntries(summary.matches.map((match) => [match.record, [match.method, match.file]]));
    expect(how[named.id]).toEqual(['file-name', expect.stringContaining('fulltext/doi_')]);
    expect(how[encoded.id]?.[0]).toBe('file-name');
    expect(how[adhikari.id]).toEqual(['import-path', expect.stringContaining('Mendeley Desktop/Adhikari')]);
    expect(how[leisher.id]).toEqual(['import-path', 'library.Data/PDF/1935674145/Leisher-2015-Does the gender composition of fo.pdf']);
    expect(how[doiOnly.id]).toEqual(['pdf-doi', 'fulltext/download (3).pdf']);
    expect(how[titleOnly.id]).toEqual(['pdf-title', 'fulltext/scan_0042.pdf']);
    expect(how[metadataOnly.id]).toEqual(['pdf-doi', 'fulltext/document.pdf']);
    expect(summary.matches).toHaveLength(7);
    expect(summary.unmatched).toEqual(['fulltext/IMG_2291.pdf', 'fulltext/other-review.pdf']);
    expect(fullTexts.unmatched()).toEqual(['fulltext/IMG_2291.pdf', 'fulltext/other-review.pdf']);

    // Stored one line per record, sorted, with how; a second clone reads the same links.
    const text = readFileSync(join(dir, FULLTEXT_FILE), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('{"format":"sr-screening-fulltext","version":1,"links":[');
    expect(lines.at(-1)).toBe(']}');
    expect(lines).toHaveLength(7 + 2);
    const parsed = readLinks(text);
    expect(parsed.status).toBe('ok');
    const again = await FullTexts.load(review);
    expect(again.pdfOf(titleOnly.id)).toBe('fulltext/scan_0042.pdf');
    expect(again.link(titleOnly.id)?.detail).toMatch(/first page, similarity (0\.9\d|1\.00)/);
    // Matching again changes nothing.
    const second = await again.match();
    expect(second.matches).toEqual([]);
    expect(readFileSync(join(dir, FULLTEXT_FILE), 'utf8')).toBe(text);
  });

  it("never matches by title when the PDF's DOI and the record's differ", async () => {
    const [record] = withDoi(1, 3);
    await includeAll([record]);
    put('fulltext/erratum.pdf', await articlePdf({ ...record, doi: '10.9999/erratum.1' }));
    const fullTexts = await FullTexts.load(review);
    const summary = await fullTexts.match();
    expect(summary.matches).toEqual([]);
    expect(summary.unmatched).toEqual(['fulltext/erratum.pdf']);
  });

  it('leaves no-text-layer PDFs with names that say nothing for the reviewer to attach by hand', async () => {
    const [record, other] = withDoi(2, 6);
    await includeAll([record, other]);
    put('scans/scan-001.pdf', await articlePdf(record, { noTextLayer: true }));
    const facts = await readPdfFacts(readFileSync(join(dir, 'scans/scan-001.pdf')));
    expect(facts).toMatchObject({ status: 'ok', pages: 1, textDois: [], metadataDois: [] });
    expect(facts.text.trim()).toBe('');
    const fullTexts = await FullTexts.load(review);
    expect((await fullTexts.match()).matches).toEqual([]);
    expect(fullTexts.state(record.id)).toBe('not-found');
    await fullTexts.attach(record.id, 'scans/scan-001.pdf');
    expect(fullTexts.link(record.id)).toMatchObject({ file: 'scans/scan-001.pdf', method: 'manual', by: 'ann@example.org' });
    expect(fullTexts.state(record.id)).toBe('found');
    // Attaching the same PDF to another record moves it.
    await fullTexts.attach(other.id, 'scans/scan-001.pdf');
    expect(fullTexts.pdfOf(record.id)).toBeUndefined();
    // Detached by hand: automatic matching leaves the record alone even when a named PDF appears.
    await fullTexts.detach(other.id);
    put(`fulltext/${fileNameKey(other.doi!)}.pdf`, await articlePdf(other));
    put(`fulltext/${other.doi!.replace('/', '_')}.pdf`, await articlePdf(other));
    const summary = await fullTexts.match();
    expect(summary.matches.map((match) => match.record)).not.toContain(other.id);
    expect(fullTexts.state(other.id)).toBe('not-found');
    await expect(fullTexts.attach(other.id, '../elsewhere.pdf')).rejects.toThrow(/outside the review folder/);
  });

  it('reports encrypted and damaged PDFs clearly, and still matches them by name', async () => {
    const [locked, broken, named] = withDoi(3, 10);
    await includeAll([locked, broken, named]);
    put('fulltext/locked.pdf', await articlePdf(locked, { password: 'secret' }));
    put('fulltext/broken.pdf', await damagedPdf(broken));
    put(`fulltext/${named.doi!.replace('/', '_')}.pdf`, await articlePdf(named, { password: 'secret' }));
    expect(await readPdfFacts(readFileSync(join(dir, 'fulltext/locked.pdf')))).toMatchObject({ status: 'encrypted', message: 'The PDF is protected by a password.' });
    expect((await readPdfFacts(readFileSync(join(dir, 'fulltext/broken.pdf')))).status).toBe('damaged');
    const fullTexts = await FullTexts.load(review);
    const summary = await fullTexts.match();
    expect(summary.matches.map((match) => [match.record, match.method])).toEqual([[named.id, 'file-name']]);
    expect(summary.unreadable.map((item) => [item.file, item.status])).toEqual([
      ['fulltext/broken.pdf', 'damaged'],
      ['fulltext/locked.pdf', 'encrypted'],
    ]);
  });

  it('knows each included record\'s retrieval state, and drops automatic links whose PDF is gone', async () => {
    const [found, missing, notRetrieved] = withDoi(3, 14);
    await includeAll([found, missing, notRetrieved]);
    put(`fulltext/${found.doi!.replace('/', '_')}.pdf`, await articlePdf(found));
    await review.decide(notRetrieved.id, 'full-text', 'not-retrieved');
    const fullTexts = await FullTexts.load(review);
    await fullTexts.match();
    const states = Object.fromEntries(fullTexts.report().map((entry) => [entry.record.id, entry.state]));
    expect(states).toEqual({ [found.id]: 'found', [missing.id]: 'not-found', [notRetrieved.id]: 'not-retrieved' });
    rmSync(join(dir, `fulltext/${found.doi!.replace('/', '_')}.pdf`));
    await fullTexts.reload();
    expect(fullTexts.state(found.id)).toBe('missing-file');
    const summary = await fullTexts.match();
    expect(summary.dropped).toEqual([found.id]);
    expect(fullTexts.state(found.id)).toBe('not-found');
  });

  it('keeps links another clone wrote meanwhile, and refuses to overwrite a broken fulltext.json', async () => {
    const [a, b] = withDoi(2, 20);
    await includeAll([a, b]);
    put('fulltext/a.pdf', await articlePdf(a, { noTextLayer: true }));
    put('fulltext/b.pdf', await articlePdf(b, { noTextLayer: true }));
    const mine = await FullTexts.load(review);
    const theirs = await FullTexts.load(review);
    await theirs.attach(b.id, 'fulltext/b.pdf');
    await mine.attach(a.id, 'fulltext/a.pdf');
    const links = readLinks(readFileSync(join(dir, FULLTEXT_FILE), 'utf8'));
    expect(links.status === 'ok' && links.links.map((link) => link.record).sort()).toEqual([a.id, b.id].sort());
    writeFileSync(join(dir, FULLTEXT_FILE), '{"format":"sr-screening-fulltext","version":1,"links":[\n{"record":"x","file":3}\n]}\n');
    const broken = await FullTexts.load(review);
    expect(broken.issues[0]).toMatchObject({ file: FULLTEXT_FILE, line: 2 });
    await expect(broken.attach(a.id, 'fulltext/a.pdf')).rejects.toThrow();
    expect(readFileSync(join(dir, FULLTEXT_FILE), 'utf8')).toContain('"file":3');
  });
});

describe.skipIf(!corpusAvailable)('sr-screening fulltext', () => {
  let stdout = '';
  beforeEach(() => {
    stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('lists the included records with their PDF and how it was matched; exits 1 until each has a PDF or is not retrieved', async () => {
    const [a, b] = withDoi(2, 30);
    await includeAll([a, b]);
    await review.flush();
    put('fulltext/paper-one.pdf', await articlePdf(a));
    put('fulltext/unknown.pdf', await articlePdf({ title: 'A paper that belongs to no record of this review at all' }));
    // Without --match nothing is matched yet.
    expect(await fulltextCommand.run([dir])).toBe(1);
    expect(stdout).toContain(`${a.id}\tno PDF\t`);
    stdout = '';
    expect(await fulltextCommand.run([dir, '--match', '--json'])).toBe(1);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ sought: 2, withPdf: 1, notRetrieved: 0, missing: 1, matched: 1, unmatchedPdfs: ['fulltext/unknown.pdf'] });
    expect(out.records.find((entry: { record: string }) => entry.record === a.id)).toMatchObject({ state: 'found', pdf: 'fulltext/paper-one.pdf', method: 'pdf-doi' });
    await review.decide(b.id, 'full-text', 'not-retrieved');
    await review.flush();
    stdout = '';
    expect(await fulltextCommand.run([dir])).toBe(0);
    expect(stdout).toContain(`${a.id}\tPDF\tfulltext/paper-one.pdf\tthe PDF's DOI (doi ${a.doi})\t`);
    expect(stdout).toContain(`${b.id}\tnot retrieved\t`);
    expect(stdout).toContain('PDFs no record has (1):\n  fulltext/unknown.pdf\n');
    expect(stdout).toContain('2 sought for retrieval: 1 with a PDF, 1 not retrieved, 0 without either.');
  });
});
