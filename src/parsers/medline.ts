/**
 * PubMed MEDLINE / .nbib ("PMID- 123", "TI  - …", 4-character tags padded to "XXXX- ", continuation lines
 * indented by six spaces). Records are separated by blank lines; a PMID line also starts a new record.
 * ERIC's .nbib (no PMID, "OWN - ERIC") reads the same way.
 */
import type { ParsedRecord, RecordType } from '../screening/record';
import { mapRecordType } from './normalise';
import {
  FieldBag,
  LineReader,
  ProblemLog,
  RecordSink,
  authorList,
  makeRecord,
  doiIn,
  headLines,
  isBlank,
  joinPages,
  keywordList,
  metadataOf,
  trimValue,
  yearFrom,
} from './tagged';
import type { Importer, ParseResult } from './types';

const isUpper = (c: number) => c >= 65 && c <= 90;
const isTagChar = (c: number) => (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

/** Splits "TAG - value" (tag of 2-4 characters, padded or not, dash with or without a space after it). */
function splitTag(line: string): [string, string] | undefined {
  const n = line.length;
  if (n < 3 || !isUpper(line.charCodeAt(0))) return undefined;
  let i = 1;
  while (i < n && i < 4 && isTagChar(line.charCodeAt(i))) i++;
  if (i < 2) return undefined;
  const tagEnd = i;
  while (i < n && i < 6 && line.charCodeAt(i) === 32) i++;
  if (i >= n || line.charCodeAt(i) !== 45) return undefined;
  i++;
  if (i < n && line.charCodeAt(i) === 32) i++;
  return [line.slice(0, tagEnd), trimValue(line.slice(i))];
}

class MedlineParser {
  private readonly problems: ProblemLog;
  private readonly sink: RecordSink;
  private bag: FieldBag | undefined;

  constructor(file: string) {
    this.problems = new ProblemLog(file);
    this.sink = new RecordSink(file, 'medline', this.problems);
  }

  parse(text: string): ParseResult {
    const reader = new LineReader(text);
    for (let line = reader.next(); line !== undefined; line = reader.next()) {
      const lineNo = reader.lineNo;
      const c0 = line.charCodeAt(0);
      if (c0 === 32 || c0 === 9) {
        if (isBlank(line)) {
          this.finish();
          continue;
        }
        // Continuation line (six spaces in PubMed's output).
        if (this.bag && this.bag.lastTag) this.bag.continueLast(trimValue(line));
        else this.stray(line, lineNo);
        continue;
      }
      if (line.length === 0 || isBlank(line)) {
        this.finish();
        continue;
      }
      const split = splitTag(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
      if (!split) {
        this.stray(line, lineNo);
        continue;
      }
      const [tag, value] = split;
      if (tag === 'PMID' && this.bag && this.bag.size > 0) this.finish();
      if (!this.bag) this.bag = new FieldBag(lineNo);
      this.bag.add(tag, value);
    }
    this.finish();
    return { records: this.sink.records, problems: this.problems.finish() };
  }

  private stray(line: string, lineNo: number): void {
    const shown = trimValue(line.length > 60 ? `${line.slice(0, 60)}…` : line);
    const where = this.bag ? 'inside a record' : 'between records';
    this.problems.add(lineNo, 'warning', `Line ${lineNo}: text ${where} that is not a MEDLINE tag line; ignored: "${shown}"`, 'stray', 'unrecognised lines');
  }

  private finish(): void {
    const bag = this.bag;
    this.bag = undefined;
    if (!bag) return;
    this.sink.push(buildMedline(bag), bag.line);
  }
}

function medlineType(bag: FieldBag): RecordType {
  const types = bag.all(['PT']);
  for (const raw of types) {
    if (/chapter/i.test(raw)) return 'book-chapter';
    const type = mapRecordType(raw);
    if (type !== 'other') return type;
  }
  if (bag.has('BTI') && !bag.has('JT')) return bag.has('TI') ? 'book-chapter' : 'book';
  if (bag.has('JT') || bag.has('TA')) return 'journal-article';
  return types.length > 0 ? 'other' : 'journal-article';
}

/** Maps the tags of one MEDLINE record to a record. */
export function buildMedline(bag: FieldBag): Omit<ParsedRecord, 'provenance'> {
  const used = new Set<string>(['TI', 'FAU', 'AU', 'DP', 'JT', 'VI', 'IP', 'PG', 'PMID', 'AB', 'OT', 'MH', 'PT']);
  const titleTag = bag.firstTag(['TI', 'BTI', 'CTI', 'TT']);
  const title = titleTag ? bag.get(titleTag) : undefined;
  if (titleTag) used.add(titleTag);

  const full = bag.values('FAU');
  const short = bag.values('AU');
  const authors = authorList(full && full.length >= (short?.length ?? 0) ? full : short);

  const type = medlineType(bag);
  let journal = bag.first(['JT', 'TA']);
  if (!journal && titleTag !== 'BTI') {
    journal = bag.get('BTI');
    if (journal) used.add('BTI');
  }

  const doi = medlineDoi(bag);
  const pmidRaw = bag.get('PMID');
  const pmid = pmidRaw && /^\d{1,9}$/.test(pmidRaw) && !/^0+$/.test(pmidRaw) ? pmidRaw : undefined;

  const lidUrl = bag.all(['LID', 'AID']).find((value) => /^https?:\/\//i.test(value) && !/doi\.org\//i.test(value));
  const metadata = metadataOf(bag, used, [title, journal]);
  return makeRecord({
    title: title ?? '',
    authors,
    year: yearFrom(bag, ['DP', 'DEP', 'EDAT']),
    journal,
    volume: bag.get('VI'),
    issue: bag.get('IP'),
    pages: joinPages(bag.get('PG')),
    doi,
    pmid,
    abstract: bag.firstText(['AB']),
    keywords: keywordList([...bag.all(['OT']), ...bag.all(['MH'])]),
    url: lidUrl,
    type,
    metadata,
  });
}

/** The DOI: an AID/LID marked "[doi]" first, then any DOI-like AID/LID value. */
function medlineDoi(bag: FieldBag): string | undefined {
  const ids = bag.all(['AID', 'LID']);
  for (const value of ids) {
    if (/\[doi\]/i.test(value)) {
      const doi = doiIn(value.replace(/(?<!\s)\s*\[doi\]\s*/i, ''));
      if (doi) return doi;
    }
  }
  for (const value of ids) {
    if (/\[(pii|pmc|bookaccession)\]/i.test(value)) continue;
    const doi = doiIn(value);
    if (doi) return doi;
  }
  return undefined;
}

/** MEDLINE by content: "PMID- ", or padded 3-4 character tags ("OWN - ", "FAU - ", "STAT- ") without RIS's TY. */
export function sniffMedline(text: string): number {
  const lines = headLines(text);
  let pmid = 0;
  let long = 0;
  let short = 0;
  let ty = 0;
  for (const line of lines) {
    if (/^PMID- ?\d/.test(line)) pmid++;
    else if (/^[A-Z]{3} - |^[A-Z]{4}- /.test(line)) long++;
    else if (/^[A-Z][A-Z0-9]  - /.test(line)) {
      short++;
      if (line.startsWith('TY  - ')) ty++;
    }
  }
  if (ty > 0) return pmid + long > short ? 0.6 : 0.15;
  if (pmid > 0 && short + long > 0) return 0.96;
  if (long > 0 && short >= 2) return 0.9;
  if (pmid > 0) return 0.5;
  return 0;
}

export const medlineImporter: Importer = {
  format: 'medline',
  label: 'MEDLINE',
  sniff: sniffMedline,
  parse(text: string, file: string): ParseResult {
    return new MedlineParser(file).parse(text);
  },
};
