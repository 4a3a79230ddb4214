/**
 * Web of Science tagged export ("FN Clarivate Analytics Web of Science", "VR 1.0", records "PT J" … "ER",
 * "EF" at the end). Two-letter tags without a dash; continuation lines are indented by three spaces and, for
 * the list tags (AU, AF, CR, C1, …), each continuation line is one more value.
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

const LIST_TAGS = new Set(['AU', 'AF', 'BA', 'BF', 'CA', 'GP', 'BE', 'CR', 'C1', 'C3', 'RI', 'OI', 'EM', 'FU']);
const FILE_TAGS = new Set(['FN', 'VR', 'EF']);
/** Tags of Web of Science and the databases it hosts (Inspec, Zoological Record, MEDLINE, BIOSIS). */
const WOS_TAGS = new Set(
  ('FN VR PT AU AF BA BF CA GP BE TI SO SE BS LA DT CT CY CL SP HO DE ID AB C1 C3 RP EM RI OI FU FX CR NR TC Z9 ' +
    'U1 U2 PU PI PA SN EI BN J9 JI PD PY VL IS PN SU SI MA BP EP AR DI D2 EA PG WC WE SC GA UT PM OA HC HP DA ' +
    'ER EF TY PS AN OR BD TN ST NT ZS ZR ZB Z8 PV CO CC AE UR PL PC MQ MC EY DG CN BR AW BD TA AD KW Z1 Z2 Z3 ' +
    'Z4 Z5 Z6 Z7 Z9 LS SR ED DB').split(' '),
);

const isUpper = (c: number) => c >= 65 && c <= 90;
const isUpperOrDigit = (c: number) => (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

class WosParser {
  private readonly problems: ProblemLog;
  private readonly sink: RecordSink;
  private bag: FieldBag | undefined;

  constructor(file: string) {
    this.problems = new ProblemLog(file);
    this.sink = new RecordSink(file, 'wos', this.problems);
  }

  parse(text: string): ParseResult {
    const reader = new LineReader(text);
    for (let raw = reader.next(); raw !== undefined; raw = reader.next()) {
      const lineNo = reader.lineNo;
      const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      const n = line.length;
      const c0 = line.charCodeAt(0);
      if (n === 0 || isBlank(line)) continue;
      if (c0 === 32 || c0 === 9) {
        const bag = this.bag;
        if (bag && bag.lastTag) {
          const text = trimValue(line);
          if (LIST_TAGS.has(bag.lastTag)) bag.pushLast(text);
          else bag.continueLast(text);
        } else {
          this.stray(line, lineNo);
        }
        continue;
      }
      const c1 = line.charCodeAt(1);
      const tag = isUpper(c0) && isUpperOrDigit(c1) && (n === 2 || line.charCodeAt(2) === 32) ? line.slice(0, 2) : undefined;
      if (tag === undefined || (!WOS_TAGS.has(tag) && this.bag)) {
        // Some exports lose the three-space indent of continuation lines.
        const bag = this.bag;
        if (bag && bag.lastTag) {
          if (LIST_TAGS.has(bag.lastTag)) bag.pushLast(trimValue(line));
          else bag.continueLast(trimValue(line));
        } else {
          this.stray(line, lineNo);
        }
        continue;
      }
      const value = n > 3 ? trimValue(line.slice(3)) : '';
      if (tag === 'ER') {
        if (this.bag) this.finish();
        else this.problems.add(lineNo, 'warning', `Line ${lineNo}: "ER" without a record before it; ignored.`, 'stray-er', 'stray ER lines');
        continue;
      }
      if (!this.bag && FILE_TAGS.has(tag)) continue;
      if (tag === 'PT' || (tag === 'EF' && this.bag)) {
        if (this.bag) {
          this.problems.add(this.bag.line, 'warning', `The record at line ${this.bag.line} has no closing "ER" line; imported anyway.`, 'missing-er', 'records without ER');
          this.finish();
        }
        if (tag === 'EF') continue;
      }
      if (!this.bag) {
        this.bag = new FieldBag(lineNo);
        if (tag !== 'PT') this.problems.add(lineNo, 'warning', `The record at line ${lineNo} does not start with "PT"; read it anyway.`, 'no-pt', 'records without PT');
      }
      this.bag.add(tag, value);
    }
    if (this.bag) {
      this.problems.add(this.bag.line, 'warning', `The last record (line ${this.bag.line}) has no closing "ER" line; the file may be truncated. The record was imported.`);
      this.finish();
    }
    return { records: this.sink.records, problems: this.problems.finish() };
  }

  private stray(line: string, lineNo: number): void {
    const shown = trimValue(line.length > 60 ? `${line.slice(0, 60)}…` : line);
    this.problems.add(lineNo, 'warning', `Line ${lineNo}: text that is not a Web of Science tag line; ignored: "${shown}"`, 'stray', 'unrecognised lines');
  }

  private finish(): void {
    const bag = this.bag;
    this.bag = undefined;
    if (bag) this.sink.push(buildWos(bag), bag.line);
  }
}

const PT_TYPES: Record<string, RecordType> = { J: 'journal-article', B: 'book', S: 'book', C: 'conference-paper', P: 'other' };

function wosType(bag: FieldBag): RecordType {
  const dt = bag.get('DT');
  if (dt && /chapter/i.test(dt)) return 'book-chapter';
  if (dt && dt !== '-') {
    const type = mapRecordType(dt);
    if (type !== 'other') return type;
  }
  const pt = bag.get('PT');
  return (pt ? PT_TYPES[pt.charAt(0).toUpperCase()] : undefined) ?? 'journal-article';
}

/** Maps the tags of one Web of Science record to a record. */
export function buildWos(bag: FieldBag): Omit<ParsedRecord, 'provenance'> {
  const used = new Set<string>(['PT', 'TI', 'AU', 'AF', 'PY', 'SO', 'VL', 'IS', 'BP', 'EP', 'DI', 'PM', 'AB', 'DE', 'ID']);
  const title = bag.get('TI');
  const full = bag.values('AF');
  const short = bag.values('AU');
  const fullCount = full?.filter((value) => !isBlank(value)).length ?? 0;
  const shortCount = short?.filter((value) => !isBlank(value)).length ?? 0;
  let authors = authorList(fullCount > 0 && fullCount >= shortCount ? full : short, true);
  if (authors.length === 0) authors = authorList([...(bag.values('BF') ?? []), ...(bag.values('BA') ?? [])], true);

  let journal = bag.get('SO');
  if (!journal || journal.toLowerCase() === title?.toLowerCase()) journal = bag.first(['SE', 'BS']);
  const ut = bag.get('UT');
  let pmid = bag.get('PM');
  if (!pmid && ut) pmid = /^MEDLINE:(\d{1,9})$/i.exec(ut)?.[1];
  if (pmid && !/^\d{1,9}$/.test(pmid)) pmid = undefined;

  let pages = joinPages(bag.get('BP'), bag.get('EP'));
  if (!pages) pages = joinPages(bag.get('PS')) ?? bag.get('AR');
  if (pages && bag.has('PS')) used.add('PS');

  const keywords = keywordList([...bag.all(['DE']), ...bag.all(['ID'])]);
  const metadata = metadataOf(bag, used, [title, journal]);
  return makeRecord({
    title: title ?? '',
    authors,
    year: yearFrom(bag, ['PY', 'PD', 'EA']),
    journal,
    volume: bag.get('VL'),
    issue: bag.get('IS'),
    pages,
    doi: doiFrom(bag, ['DI', 'D2']),
    pmid,
    abstract: bag.firstText(['AB']),
    keywords,
    type: wosType(bag),
    metadata,
  });
}

/**
 * Web of Science by content: "FN " header or "PT " records with two-letter tags and no dashes (RIS and
 * MEDLINE write "XX  - "), and not RefWorks ("RT ").
 */
export function sniffWos(text: string): number {
  const lines = headLines(text);
  let fn = false;
  let pt = 0;
  let tags = 0;
  let dashed = 0;
  let rt = 0;
  let continuation = 0;
  for (const line of lines) {
    if (/^FN /.test(line)) fn = true;
    if (/^PT [A-Z]\s*$/.test(line)) pt++;
    if (/^RT /.test(line)) rt++;
    if (/^[A-Z][A-Z0-9] {1,2}- /.test(line)) dashed++;
    else if (/^(AU|AF|TI|SO|PY|UT|ER|DI|AB|DE|ID|C1|CR|NR|TC|J9|JI|PD|VL|IS|BP|EP|DT|LA|SN|PU|WC|SC)( |$)/.test(line)) tags++;
    if (/^ {3}\S/.test(line)) continuation++;
  }
  if (dashed > tags) return 0;
  if (fn && (pt > 0 || tags >= 2)) return 0.95;
  if (pt > 0 && tags >= 3 && rt === 0) return 0.9;
  if (pt > 0 && tags >= 1 && rt === 0) return 0.5;
  if (tags >= 4 && continuation > 0 && rt === 0) return 0.4;
  return 0;
}

export const wosImporter: Importer = {
  format: 'wos',
  label: 'Web of Science tagged',
  sniff: sniffWos,
  parse(text: string, file: string): ParseResult {
    return new WosParser(file).parse(text);
  },
};
