/**
 * Which PDF is whose: matches the PDFs of a review folder to its records, by (in this order)
 *
 * 1. the file name: the record's id, DOI or PMID (or BibTeX key) in a file-safe form, e.g.
 *    `doi_10.1186_s12888-025-06572-2.pdf`, `10.1186%2Fs12888-025-06572-2.pdf`, `pmid-31234567.pdf`;
 * 2. a file path carried by the import (RIS L1/L4, BibTeX/Zotero/Mendeley `file`, EndNote XML
 *    pdf-urls): the PDF whose path ends with the most of that path's folders and name;
 * 3. the PDF's own DOI: its metadata's, else the first DOI printed on its first pages;
 * 4. its title: the metadata title, or the first page's text holding the record's title, by the
 *    similarity rule of duplicate detection (titleSimilarity ≥ TITLE_SIMILARITY_THRESHOLD, same
 *    numbers) — never when the PDF's DOI and the record's differ.
 *
 * A PDF goes to one record and a record gets one PDF; whatever two candidates claim equally is left
 * unmatched (a wrong match costs a reviewer more than a missing one). Pure: reading the PDFs is the
 * caller's `facts`, asked only for PDFs steps 1 and 2 left over.
 */
import { TITLE_SIMILARITY_THRESHOLD, titleSimilarity } from '../dedup';
import { normaliseTitle } from '../ids';
import type { BibRecord } from '../record';
import type { PdfFacts } from './pdf-text';

export type AutomaticMethod = 'file-name' | 'import-path' | 'pdf-doi' | 'pdf-title';
export type MatchMethod = AutomaticMethod | 'manual';

export const METHOD_LABELS: Record<MatchMethod, string> = {
  'file-name': 'file name',
  'import-path': 'path in the import',
  'pdf-doi': "the PDF's DOI",
  'pdf-title': "the PDF's title",
  manual: 'attached by hand',
};

export interface PdfMatch {
  record: string;
  /** Review-relative path, forward slashes. */
  file: string;
  method: AutomaticMethod;
  /** What matched, e.g. "pmid 31234567", "similarity 0.97". */
  detail: string;
}

export interface UnreadablePdf {
  file: string;
  status: 'encrypted' | 'damaged';
  message: string;
}

export interface MatchOutcome {
  matches: PdfMatch[];
  /** PDFs given that no record got, in the order given. */
  unmatched: string[];
  /** PDFs whose content could not be read (they may still have matched by name or path). */
  unreadable: UnreadablePdf[];
}

export interface MatchInput {
  /** Records still without a PDF. */
  records: readonly BibRecord[];
  /** PDFs (review-relative paths) not yet anyone's. */
  pdfs: readonly string[];
  /** Reads a PDF's text and metadata (called at most once per PDF, only when needed). */
  facts(file: string): Promise<PdfFacts>;
}

/** Titles shorter than this ("Editorial", "Reply") are too generic to match on, as in dedup. */
const MIN_TITLE_LENGTH = 20;
/** Words of the first page looked at for the title: titles sit at the top. */
const TITLE_WINDOW_WORDS = 400;

export async function matchPdfs(input: MatchInput): Promise<MatchOutcome> {
  const matches: PdfMatch[] = [];
  const takenRecords = new Set<string>();
  const takenPdfs = new Set<string>();
  const take = (match: PdfMatch) => {
    matches.push(match);
    takenRecords.add(match.record);
    takenPdfs.add(match.file);
  };
  const openRecords = () => input.records.filter((record) => !takenRecords.has(record.id));
  const openPdfs = () => input.pdfs.filter((file) => !takenPdfs.has(file));

  for (const match of resolveClaims(matchByFileName(openRecords(), openPdfs()))) take(match);
  for (const match of resolveClaims(matchByImportPath(openRecords(), openPdfs()))) take(match);

  const unreadable: UnreadablePdf[] = [];
  const factsByFile = new Map<string, PdfFacts>();
  for (const file of openPdfs()) {
    const facts = await input.facts(file);
    factsByFile.set(file, facts);
    if (facts.status !== 'ok') unreadable.push({ file, status: facts.status, message: facts.message ?? '' });
  }
  for (const match of resolveClaims(matchByDoi(openRecords(), factsByFile))) take(match);
  const titleIndex = new TitleIndex(openRecords());
  const titleClaims: PdfMatch[] = [];
  for (const [file, facts] of factsByFile) {
    if (takenPdfs.has(file) || facts.status !== 'ok') continue;
    const found = titleIndex.best(facts);
    if (found) titleClaims.push({ record: found.record.id, file, method: 'pdf-title', detail: found.detail });
  }
  for (const match of resolveClaims(titleClaims)) take(match);

  return { matches, unmatched: input.pdfs.filter((file) => !takenPdfs.has(file)), unreadable };
}

/** Keeps the claims whose record and PDF no other claim of the same step names. */
function resolveClaims(claims: readonly PdfMatch[]): PdfMatch[] {
  const byRecord = new Map<string, number>();
  const byPdf = new Map<string, number>();
  for (const claim of claims) {
    byRecord.set(claim.record, (byRecord.get(claim.record) ?? 0) + 1);
    byPdf.set(claim.file, (byPdf.get(claim.file) ?? 0) + 1);
  }
  return claims.filter((claim) => byRecord.get(claim.record) === 1 && byPdf.get(claim.file) === 1);
}

// ---------------------------------------------------------------------------------------------
// 1. File names

/** Letters and digits only, lower case: `doi:10.1186/S1` and `doi_10.1186_s1` meet as `doi101186s1`. */
export function fileNameKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export function fileStem(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const stem = base.replace(/\.pdf$/i, '');
  try {
    return decodeURIComponent(stem);
  } catch {
    return stem;
  }
}

/** The file-name keys naming a record: its id, DOI, PMID (alone or as pmid…), BibTeX key. */
export function recordNameKeys(record: BibRecord): string[] {
  const keys = new Set<string>([fileNameKey(record.id)]);
  if (record.doi) keys.add(fileNameKey(record.doi));
  if (record.pmid) {
    keys.add(fileNameKey(`pmid${record.pmid}`));
    keys.add(record.pmid);
  }
  const bibtexKey = record.metadata?.['bibtex-key'];
  if (bibtexKey && fileNameKey(bibtexKey).length >= 4) keys.add(fileNameKey(bibtexKey));
  keys.delete('');
  return [...keys];
}

function matchByFileName(records: readonly BibRecord[], pdfs: readonly string[]): PdfMatch[] {
  const owners = new Map<string, Set<string>>();
  for (const record of records) {
    for (const key of recordNameKeys(record)) {
      let set = owners.get(key);
      if (!set) owners.set(key, (set = new Set()));
      set.add(record.id);
    }
  }
  const claims: PdfMatch[] = [];
  for (const file of pdfs) {
    const stem = fileStem(file);
    const key = fileNameKey(stem);
    const owner = owners.get(key);
    if (owner?.size === 1) claims.push({ record: [...owner][0], file, method: 'file-name', detail: `"${stem}"` });
  }
  return claims;
}

// ---------------------------------------------------------------------------------------------
// 2. Paths carried by the import

/** Metadata fields holding attached files, by format: RIS L1/L4, BibTeX file, EndNote XML pdf-urls. */
const ATTACHMENT_FIELDS = ['L1', 'L4', 'file', 'urls/pdf-urls', 'pdf-urls'];

/** The PDF paths an import carried for a record, as path components (folders, then the file name). */
export function importedPdfPaths(record: BibRecord): string[][] {
  const values: string[] = [];
  for (const field of ATTACHMENT_FIELDS) {
    const value = record.metadata?.[field];
    if (value) values.push(...value.split(';'));
  }
  if (record.url && /\.pdf\b/i.test(record.url) && !/^https?:/i.test(record.url)) values.push(record.url);
  const paths: string[][] = [];
  for (const raw of values) {
    const path = pdfPathComponents(raw);
    if (path) paths.push(path);
  }
  return paths;
}

/**
 * `Full Text PDF:/home/u/Zotero/storage/AB12/x.pdf:application/pdf` (Zotero), `:C$\backslash$:/a/x.pdf:PDF`
 * (Mendeley), `file:///a/b%20c.pdf`, `internal-pdf://1234/x.pdf` (EndNote) → ['…', 'AB12', 'x.pdf'].
 */
function pdfPathComponents(raw: string): string[] | undefined {
  let text = raw.trim().replace(/\$\\backslash\$/g, '/').replace(/\\:/g, ':');
  const end = text.toLowerCase().lastIndexOf('.pdf');
  if (end < 0) return undefined;
  text = text.slice(0, end + 4);
  try {
    if (/%[0-9a-f]{2}/i.test(text)) text = decodeURIComponent(text);
  } catch {
    // not percent-encoded after all
  }
  const parts = text.split(/[\\/]+/).filter(Boolean);
  // A description or scheme before the path ("Full Text PDF:", "file:", "internal-pdf:") is not a folder.
  if (parts.length > 0 && parts[0].includes(':')) {
    const first = parts[0].slice(parts[0].lastIndexOf(':') + 1);
    if (first) parts[0] = first;
    else parts.shift();
  }
  return parts.length > 0 ? parts : undefined;
}

function matchByImportPath(records: readonly BibRecord[], pdfs: readonly string[]): PdfMatch[] {
  const byName = new Map<string, string[]>();
  for (const file of pdfs) {
    const name = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
    const list = byName.get(name);
    if (list) list.push(file);
    else byName.set(name, [file]);
  }
  const claims: PdfMatch[] = [];
  for (const record of records) {
    let best: { file: string; depth: number; tied: boolean; path: string[] } | undefined;
    for (const path of importedPdfPaths(record)) {
      for (const file of byName.get(path[path.length - 1].toLowerCase()) ?? []) {
        const depth = sharedTail(file.split('/'), path);
        if (!best || depth > best.depth) best = { file, depth, tied: false, path };
        else if (depth === best.depth && file !== best.file) best.tied = true;
      }
    }
    if (best && !best.tied) claims.push({ record: record.id, file: best.file, method: 'import-path', detail: best.path.slice(-Math.max(best.depth, 1)).join('/') });
  }
  return claims;
}

/** How many trailing components two paths share (case-insensitive: exports and disks disagree on case). */
function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n].toLowerCase() === b[b.length - 1 - n].toLowerCase()) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// 3. The PDF's own DOI

/** The DOI a PDF gives as its own: its metadata's, else the first printed on its first pages. */
export function ownDoi(facts: PdfFacts): string | undefined {
  return facts.metadataDois[0] ?? facts.textDois[0];
}

function matchByDoi(records: readonly BibRecord[], factsByFile: ReadonlyMap<string, PdfFacts>): PdfMatch[] {
  const byDoi = new Map<string, BibRecord[]>();
  for (const record of records) {
    if (!record.doi) continue;
    const list = byDoi.get(record.doi);
    if (list) list.push(record);
    else byDoi.set(record.doi, [record]);
  }
  const claims: PdfMatch[] = [];
  for (const [file, facts] of factsByFile) {
    const doi = ownDoi(facts);
    const owners = doi ? byDoi.get(doi) : undefined;
    if (owners?.length === 1) claims.push({ record: owners[0].id, file, method: 'pdf-doi', detail: `doi ${doi}${facts.metadataDois[0] ? ' (metadata)' : ''}` });
  }
  return claims;
}

// ---------------------------------------------------------------------------------------------
// 4. Titles

interface TitleEntry {
  record: BibRecord;
  words: string[];
  /** Distinct words of four letters or more: what must be on the page before comparing. */
  markers: string[];
  numbers: string;
}

/** Numbers in a normalised title: "Part 1" and "Part 2" are different papers however alike (as in dedup). */
function numbersOf(normalised: string): string {
  return (normalised.match(/\d+/g) ?? []).join(' ');
}

class TitleIndex {
  private readonly byMarker = new Map<string, TitleEntry[]>();

  constructor(records: readonly BibRecord[]) {
    for (const record of records) {
      const normalised = normaliseTitle(record.title ?? '');
      if (normalised.length < MIN_TITLE_LENGTH) continue;
      const words = normalised.split(' ');
      const markers = [...new Set(words.filter((word) => word.length >= 4))];
      if (markers.length === 0) continue;
      const entry: TitleEntry = { record, words, markers, numbers: numbersOf(normalised) };
      for (const marker of markers) {
        const list = this.byMarker.get(marker);
        if (list) list.push(entry);
        else this.byMarker.set(marker, [entry]);
      }
    }
  }

  /** The one record whose title the PDF shows (metadata title or first page), or undefined. */
  best(facts: PdfFacts): { record: BibRecord; detail: string } | undefined {
    const pdfDoi = ownDoi(facts);
    const firstPage = normaliseTitle(facts.text.split('\f')[0] ?? '').split(' ').filter(Boolean).slice(0, TITLE_WINDOW_WORDS);
    const metadataTitle = facts.metadataTitle ? normaliseTitle(facts.metadataTitle) : '';
    const pageWords = new Set([...firstPage, ...metadataTitle.split(' ')]);
    const hits = new Map<TitleEntry, number>();
    for (const word of pageWords) for (const entry of this.byMarker.get(word) ?? []) hits.set(entry, (hits.get(entry) ?? 0) + 1);
    const scored: { entry: TitleEntry; score: number; where: string }[] = [];
    for (const [entry, count] of hits) {
      if (count < Math.ceil(entry.markers.length * 0.8)) continue;
      // Different DOIs are different papers, whatever their titles (the duplicate rule).
      if (pdfDoi && entry.record.doi && pdfDoi !== entry.record.doi) continue;
      const title = entry.words.join(' ');
      let score = 0;
      let where = '';
      if (metadataTitle && numbersOf(metadataTitle) === entry.numbers) {
        score = titleSimilarity(metadataTitle, title);
        where = 'metadata title';
      }
      const onPage = bestWindow(firstPage, entry);
      if (onPage > score) {
        score = onPage;
        where = 'first page';
      }
      if (score >= TITLE_SIMILARITY_THRESHOLD) scored.push({ entry, score, where });
    }
    if (scored.length === 0) return undefined;
    scored.sort((a, b) => b.score - a.score || b.entry.words.length - a.entry.words.length);
    const [first, second] = scored;
    if (second && second.score > first.score - 0.02) {
      // A longer title holding a shorter one ("… a trial" / "… a trial protocol") shown in full wins.
      const contains = first.score >= 0.98 && first.entry.words.length > second.entry.words.length;
      if (!contains) return undefined;
    }
    return { record: first.entry.record, detail: `${first.where}, similarity ${first.score.toFixed(2)}` };
  }
}

/** The best similarity of the title to a run of page words of about its length, with the same numbers. */
function bestWindow(page: readonly string[], entry: TitleEntry): number {
  const n = entry.words.length;
  const title = entry.words.join(' ');
  const firstWords = new Set(entry.words.slice(0, 3));
  let best = 0;
  for (let start = 0; start < page.length; start++) {
    // A title on the page starts with one of its first words (extraction may lose one or two).
    if (!firstWords.has(page[start])) continue;
    for (const length of [n - 1, n, n + 1]) {
      if (length < 1 || start + length > page.length) continue;
      const window = page.slice(start, start + length).join(' ');
      if (numbersOf(window) !== entry.numbers) continue;
      const score = titleSimilarity(window, title);
      if (score > best) best = score;
    }
  }
  return best;
}
