/**
 * Ovid exports. Records start with a marker line `<1>` or `<1. >`, then either
 * - tagged fields, RIS-like: "TI  - …", "AU  - …", "SO  - …" (Citavi/EndNote direct export), or
 * - the display form: a field name on its own line ("Title", "Author", "Source") and the value on the
 *   following lines, indented by two spaces.
 * Ovid writes the citation in SO ("Journal 2010;14(1):56-60"), which is parsed when JN/VO/IP/PG are absent.
 */
import type { ParsedRecord, RecordType } from '../screening/record';
import { cleanText, mapRecordType, parseYear } from './normalise';
import {
  FieldBag,
  LineReader,
  ProblemLog,
  RecordSink,
  authorList,
  makeRecord,
  doiFrom,
  headLines,
  isBlank,
  joinPages,
  keywordList,
  metadataOf,
  trimValue,
  yearFrom,
} from './tagged';
import type { Importer, ParseResult } from './types';

const MARKER = /^\s*<\d+\.?\s*>\s*$/;
const TAG_LINE = /^([A-Z][A-Z0-9]{1,5}) {1,2}- ?/;
const LIST_TAGS = new Set(['AU', 'ED', 'SY', 'MH', 'BR', 'TN', 'ST', 'XL', 'UR', 'KW', 'DE', 'ID', 'RF']);

/** Display field names -> the tags of the tagged form. */
const DISPLAY_NAMES: Record<string, string> = {
  'accession number': 'AN',
  author: 'AU',
  authors: 'AU',
  'author e-mail': 'EM',
  editor: 'ED',
  editors: 'ED',
  title: 'TI',
  'chapter title': 'CT',
  'book title': 'BT',
  source: 'SO',
  'journal name': 'JN',
  'journal title': 'JN',
  volume: 'VO',
  issue: 'IP',
  'issue/part': 'IP',
  page: 'PG',
  pages: 'PG',
  abstract: 'AB',
  'author keywords': 'KW',
  keywords: 'KW',
  'keyword heading': 'KW',
  'subject headings': 'MH',
  'mesh subject headings': 'MH',
  'doi number': 'DO',
  'digital object identifier': 'DO',
  doi: 'DO',
  'publication type': 'PT',
  'document type': 'DT',
  'unique identifier': 'UI',
  'pubmed identifier': 'PM',
  'pubmed id': 'PM',
  'year of publication': 'YR',
  'publication year': 'YR',
  'date of publication': 'DP',
  language: 'LG',
  issn: 'IS',
  institution: 'IN',
  'link to the ovid full text or citation': 'XL',
  url: 'UR',
  score: 'SCORE',
  references: 'RF',
  publisher: 'PU',
};

class OvidParser {
  private readonly problems: ProblemLog;
  private readonly sink: RecordSink;
  private bag: FieldBag | undefined;
  /** Display form: the tag of the field name line last read. */
  private field: string | undefined;
  private valueOpen = false;

  constructor(
    file: string,
    /** The file has no record markers at all (sniffed by its display field names). */
    private readonly markerless = false,
  ) {
    this.problems = new ProblemLog(file);
    this.sink = new RecordSink(file, 'ovid', this.problems);
  }

  parse(text: string): ParseResult {
    const reader = new LineReader(text);
    for (let raw = reader.next(); raw !== undefined; raw = reader.next()) {
      const lineNo = reader.lineNo;
      const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (MARKER.test(line)) {
        this.finish();
        this.bag = new FieldBag(lineNo);
        this.field = undefined;
        continue;
      }
      let bag = this.bag;
      if (isBlank(line)) {
        if (bag) bag.blank = true;
        this.valueOpen = false;
        continue;
      }
      if (!bag && this.markerless && DISPLAY_NAMES[trimValue(line).toLowerCase()] !== undefined && !/^\s/.test(line)) {
        // A display-form export that lost its <1> marker (cut by hand, or a header removed): one record from here.
        this.problems.add(lineNo, 'warning', `Line ${lineNo}: no Ovid record marker (<1>) before the first field; read as one record from here.`, 'no-marker', 'records without a marker');
        this.bag = new FieldBag(lineNo);
      }
      if (!this.bag) {
        const shown = trimValue(line.length > 60 ? `${line.slice(0, 60)}…` : line);
        this.problems.add(lineNo, 'warning', `Line ${lineNo}: text before the first Ovid record marker (<1>); ignored: "${shown}"`, 'stray', 'unrecognised lines');
        continue;
      }
      bag = this.bag;
      const tagged = TAG_LINE.exec(line);
      if (tagged) {
        bag.add(tagged[1], trimValue(line.slice(tagged[0].length)));
        this.field = undefined;
        continue;
      }
      const indented = line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9;
      if (!indented) {
        // Display form: a field name line.
        const name = trimValue(line).toLowerCase();
        this.field = DISPLAY_NAMES[name] ?? trimValue(line);
        this.valueOpen = false;
        continue;
      }
      const value = trimValue(line);
      if (this.field) {
        if (this.valueOpen && bag.lastTag === this.field) bag.continueLast(value);
        else bag.add(this.field, value);
        this.valueOpen = true;
        continue;
      }
      // Tagged form: an indented continuation line.
      if (bag.lastTag) {
        if (bag.blank && LIST_TAGS.has(bag.lastTag)) bag.pushLast(value);
        else bag.continueLast(value);
        bag.blank = false;
        continue;
      }
      this.problems.add(lineNo, 'warning', `Line ${lineNo}: text that is neither a field name nor a value; ignored.`, 'stray', 'unrecognised lines');
    }
    this.finish();
    return { records: this.sink.records, problems: this.problems.finish() };
  }

  private finish(): void {
    const bag = this.bag;
    this.bag = undefined;
    this.field = undefined;
    this.valueOpen = false;
    if (bag) this.sink.push(buildOvid(bag), bag.line);
  }
}

const MONTHS = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Spring|Summer|Fall|Autumn|Winter)[a-z]*\\.?';

interface Citation {
  journal?: string;
  year?: number;
  volume?: string;
  issue?: string;
  pages?: string;
}

/** Reads Ovid's SO citation in its common shapes. */
export function parseOvidSource(source: string): Citation {
  const so = source.replace(/\s+/g, ' ').trim();
  // "Nursing Science Quarterly. 28(2):103-106, April 2015." / "Ecohydrology. 8(6):1048-1064, September 2015."
  let m = /^(.+?)\.\s+(?:Vol\.?\s*)?(\d+[A-Za-z]?)(?:\(([^)]*)\))?\s*:\s*([A-Za-z]?\d+(?:\s*-\s*[A-Za-z]?\d+)?)(.*)$/.exec(so);
  if (m) return { journal: m[1], volume: m[2], issue: m[3], pages: m[4], year: parseYear(m[5]) };
  // "ACSM'S Health & Fitness Journal January/February 2010;14(1):56"
  m = new RegExp(`^(.+?)\\s+(?:${MONTHS}(?:[/-]${MONTHS})?\\s+)?(?:\\d{1,2}\\s+)?(\\d{4})\\s*;\\s*(\\d+[A-Za-z]?)?(?:\\(([^)]*)\\))?\\s*:\\s*([A-Za-z]?\\d+(?:\\s*-\\s*[A-Za-z]?\\d+)?)`).exec(so);
  if (m) return { journal: m[1], year: Number(m[2]), volume: m[3], issue: m[4], pages: m[5] };
  // "Journal of Political Studies 12, Winter 2007: 7-14." / "Journal of Current Southeast Asian Affairs, 2013(1): 3-28."
  m = new RegExp(`^(.+?)[,]?\\s+(?:(\\d+[A-Za-z]?),\\s*)?(?:${MONTHS}\\s+)?(\\d{4})(?:\\(([^)]*)\\))?\\s*:\\s*([A-Za-z]?\\d+(?:\\s*-\\s*[A-Za-z]?\\d+)?)`).exec(so);
  if (m) return { journal: m[1].replace(/,$/, ''), volume: m[2], year: Number(m[3]), issue: m[4], pages: m[5] };
  // PsycINFO books and chapters: "Editor [Ed]. (2012). Book title. (pp. 11-31). xvii, 254 pp. City: Publisher"
  m = /\((\d{4})\)\.\s+(.+?)\.\s+(?:\(pp\.\s*([^)]*)\)|[\dxivlc, ]+\s*pp\.)/i.exec(so);
  if (m) return { journal: m[2], year: Number(m[1]), pages: m[3] };
  // "Dissertation Abstracts International ... Vol.75(2-A(E)),2014, pp. …" or just "Journal Name."
  const cut = /^(.+?)(?:\.\s+|\s+Vol\.|\s*\(\d{4}\)|$)/.exec(so);
  const journal = cut?.[1]?.replace(/\.$/, '');
  return { journal: journal && !/^\(?\d{4}\)?/.test(so) ? journal : undefined, year: parseYear(so) };
}

function ovidType(bag: FieldBag, journal: string | undefined): RecordType {
  const dt = bag.get('DT') ?? '';
  if (/chapter/i.test(dt)) return 'book-chapter';
  const db = bag.get('DB') ?? '';
  for (const pt of bag.all(['PT'])) {
    if (pt === '-') continue;
    if (/chapter/i.test(pt)) return 'book-chapter';
    if (/book/i.test(pt)) return 'book';
    const type = mapRecordType(pt);
    if (type !== 'other') return type;
  }
  if (/books@ovid/i.test(db)) return 'book';
  if (dt) {
    const type = mapRecordType(dt);
    if (type !== 'other') return type;
  }
  return journal ? 'journal-article' : 'other';
}

/** "Title.[Article]" / "Title.  [Miscellaneous]" / "Title. [References]." -> "Title." */
function cleanOvidTitle(title: string | undefined): string | undefined {
  if (!title) return undefined;
  let out = title;
  for (let i = 0; i < 2; i++) out = out.replace(/(?<!\s)\s*\[[A-Za-z ,&/-]+\]\.?\s*$/, '');
  out = out.replace(/^"(.*)"\.?$/, '$1');
  return cleanText(out);
}

/** Maps the fields of one Ovid record (either form) to a record. */
export function buildOvid(bag: FieldBag): Omit<ParsedRecord, 'provenance'> {
  const used = new Set<string>(['TI', 'AU', 'SO', 'JN', 'YR', 'VO', 'VI', 'IP', 'PG', 'DO', 'DI', 'AB', 'KW', 'UI', 'PM', 'XL', 'UR']);
  const titleTag = bag.firstTag(['TI', 'CT', 'BT', 'TT']);
  const title = cleanOvidTitle(titleTag ? bag.get(titleTag) : undefined);
  if (titleTag) used.add(titleTag);

  const source = bag.get('SO');
  const cite = source ? parseOvidSource(source) : {};
  const journal = bag.first(['JN', 'JT']) ?? cleanText(cite.journal);
  const year = yearFrom(bag, ['YR', 'DP', 'PY']) ?? cite.year;
  const volume = bag.first(['VO', 'VI']) ?? cite.volume;
  const issue = bag.get('IP') ?? cite.issue;
  const pages = joinPages(bag.get('PG') ?? cite.pages);

  const authors = authorList(bag.values('AU'), true);
  const keywordTags = ['KW', 'DE', 'ID', 'MH'].filter((tag) => bag.has(tag));
  for (const tag of keywordTags) used.add(tag);
  const keywords = keywordList(bag.all(keywordTags).map((value) => value.replace(/^\*/, '')), true);

  let pmid = bag.first(['PM', 'UI']);
  if (pmid && !/^\d{1,9}$/.test(pmid)) pmid = undefined;
  if (pmid && bag.has('UI') && !bag.has('PM') && !/medline|pubmed/i.test(bag.get('DB') ?? '')) pmid = undefined;

  const url = bag.all(['XL', 'UR', 'LK'])[0];
  const metadata = metadataOf(bag, used, [title, journal]);
  return makeRecord({
    title: title ?? '',
    authors,
    year,
    journal,
    volume,
    issue,
    pages,
    doi: doiFrom(bag, ['DO', 'DI', 'DOI', 'RO', 'XL', 'UR']),
    pmid,
    abstract: bag.firstText(['AB']),
    keywords,
    url,
    type: ovidType(bag, journal),
    metadata,
  });
}

/** Ovid by content: `<1>`/`<1. >` record markers followed by tagged fields or display field names. */
export function sniffOvid(text: string): number {
  const lines = headLines(text);
  let markers = 0;
  let tagged = 0;
  let names = 0;
  let ovid = false;
  for (const line of lines) {
    if (MARKER.test(line)) markers++;
    else if (TAG_LINE.test(line)) {
      tagged++;
      if (/Ovid/i.test(line)) ovid = true;
    } else if (DISPLAY_NAMES[line.trim().toLowerCase()] !== undefined && !/^\s/.test(line)) names++;
  }
  // Display form without its record markers (a broken export): claimed, so it is not read as prose.
  if (markers === 0) return names >= 3 ? 0.5 : 0;
  if (tagged > 0 && ovid) return 0.98;
  if (tagged >= 2) return 0.9;
  if (names >= 2) return 0.9;
  return 0.3;
}

export const ovidImporter: Importer = {
  format: 'ovid',
  label: 'Ovid tagged',
  sniff: sniffOvid,
  parse(text: string, file: string): ParseResult {
    return new OvidParser(file, !headLines(text).some((line) => MARKER.test(line))).parse(text);
  },
};
