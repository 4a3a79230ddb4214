/**
 * RefWorks tagged export ("RT Journal Article", "SR Electronic(1)", "A1 Family,Given", "T1 …", "YR 2002").
 * Each record starts with RT; an optional legend block ("Refworks Export Tagged Format" … "BEGIN EXPORTED
 * REFERENCES") comes first. Tags are two characters (a few longer ones: U10-U15, PMID, PMCID) and a space.
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

const LONG_TAGS = /^(U1[0-5]|PMID|PMCID) /;
const LIST_TAGS = new Set(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'K1', 'LK', 'UL']);

const isUpper = (c: number) => c >= 65 && c <= 90;
const isUpperOrDigit = (c: number) => (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

function splitTag(line: string): [string, string] | undefined {
  const n = line.length;
  if (n >= 2 && isUpper(line.charCodeAt(0)) && isUpperOrDigit(line.charCodeAt(1)) && (n === 2 || line.charCodeAt(2) === 32)) {
    return [line.slice(0, 2), n > 3 ? trimValue(line.slice(3)) : ''];
  }
  const long = LONG_TAGS.exec(line);
  if (long) return [long[1], trimValue(line.slice(long[0].length))];
  return undefined;
}

class RefworksParser {
  private readonly problems: ProblemLog;
  private readonly sink: RecordSink;
  private bag: FieldBag | undefined;
  private preamble: { line: number; text: string[] } | undefined;

  constructor(file: string) {
    this.problems = new ProblemLog(file);
    this.sink = new RecordSink(file, 'refworks', this.problems);
  }

  parse(text: string): ParseResult {
    const reader = new LineReader(text);
    let seenRecord = false;
    for (let raw = reader.next(); raw !== undefined; raw = reader.next()) {
      const lineNo = reader.lineNo;
      const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (isBlank(line)) {
        if (this.bag) this.bag.blank = true;
        continue;
      }
      const split = seenRecord || /^RT /.test(line) ? splitTag(line) : undefined;
      if (split) {
        const [tag, value] = split;
        if (tag === 'RT') {
          this.finish();
          seenRecord = true;
          this.bag = new FieldBag(lineNo);
        } else if (!this.bag) {
          this.bag = new FieldBag(lineNo);
          this.problems.add(lineNo, 'warning', `The record at line ${lineNo} does not start with "RT"; read it anyway.`, 'no-rt', 'records without RT');
        }
        this.bag.add(tag, value);
        continue;
      }
      if (!seenRecord) {
        this.preamble ??= { line: lineNo, text: [] };
        if (this.preamble.text.length < 3) this.preamble.text.push(trimValue(line));
        continue;
      }
      const bag = this.bag;
      if (bag && !bag.blank && bag.lastTag) {
        const value = trimValue(line);
        if (LIST_TAGS.has(bag.lastTag)) bag.pushLast(value);
        else bag.continueLast(value);
        continue;
      }
      const shown = trimValue(line.length > 60 ? `${line.slice(0, 60)}…` : line);
      this.problems.add(lineNo, 'warning', `Line ${lineNo}: text that is not a RefWorks tag line; ignored: "${shown}"`, 'stray', 'unrecognised lines');
    }
    this.finish();
    if (this.preamble && !/refworks|BEGIN EXPORTED REFERENCES|tag legend/i.test(this.preamble.text.join(' ') + text.slice(0, 4000))) {
      this.problems.add(this.preamble.line, 'warning', `Text before the first record (line ${this.preamble.line}: "${this.preamble.text[0]}") ignored.`);
    }
    return { records: this.sink.records, problems: this.problems.finish() };
  }

  private finish(): void {
    const bag = this.bag;
    this.bag = undefined;
    if (bag) this.sink.push(buildRefworks(bag), bag.line);
  }
}

function refworksType(raw: string | undefined): RecordType {
  const t = (raw ?? '').toLowerCase();
  if (/book,?\s*(section|chapter)/.test(t)) return 'book-chapter';
  if (/^book/.test(t)) return 'book';
  if (/^(abstract|journal)/.test(t)) return 'journal-article';
  if (/^(dissertation|thesis)/.test(t)) return 'thesis';
  return mapRecordType(raw);
}

/** Maps the tags of one RefWorks record to a record. */
export function buildRefworks(bag: FieldBag): Omit<ParsedRecord, 'provenance'> {
  const used = new Set<string>(['RT', 'T1', 'A1', 'YR', 'VO', 'IS', 'SP', 'OP', 'DO', 'AB', 'K1', 'PMID']);
  const type = refworksType(bag.get('RT'));
  const titleTag = bag.firstTag(['T1', 'ST', 'OT']);
  const title = titleTag ? bag.get(titleTag) : undefined;
  if (titleTag) used.add(titleTag);
  const journalTag = bag.firstTag(['JF', 'JO', 'T2']);
  const journal = journalTag ? bag.get(journalTag) : undefined;
  if (journalTag) used.add(journalTag);
  const url = bag.first(['UL', 'LK']);
  const pmidRaw = bag.get('PMID');
  const metadata = metadataOf(bag, used, [title, journal, url]);
  return makeRecord({
    title: title ?? '',
    authors: authorList(bag.values('A1'), true),
    year: yearFrom(bag, ['YR', 'FD']),
    journal,
    volume: bag.get('VO'),
    issue: bag.get('IS'),
    pages: joinPages(bag.get('SP'), bag.get('OP')),
    doi: doiFrom(bag, ['DO', 'NO', 'LK', 'UL', 'U1', 'U2', 'U3', 'U4', 'U5']),
    pmid: pmidRaw && /^\d{1,9}$/.test(pmidRaw) ? pmidRaw : undefined,
    abstract: bag.firstText(['AB']),
    keywords: keywordList(bag.all(['K1'])),
    url,
    type,
    metadata,
  });
}

/** RefWorks by content: an "RT " line followed by RefWorks tags (SR, A1, T1, YR, …). */
export function sniffRefworks(text: string): number {
  const lines = headLines(text);
  let rt = 0;
  let tags = 0;
  let dashed = 0;
  for (const line of lines) {
    if (/^RT \S/.test(line)) rt++;
    else if (/^(SR|ID|A1|A2|T1|T2|JF|JO|YR|FD|VO|IS|SP|OP|K1|AB|NO|PB|PP|SN|LK|UL|OL|LA|AN|DO|CL|SF) \S/.test(line)) tags++;
    if (/^[A-Z][A-Z0-9] {1,2}- /.test(line)) dashed++;
  }
  if (rt === 0 || dashed > tags) return 0;
  if (tags >= 2) return 0.92;
  return 0.4;
}

export const refworksImporter: Importer = {
  format: 'refworks',
  label: 'RefWorks tagged',
  sniff: sniffRefworks,
  parse(text: string, file: string): ParseResult {
    return new RefworksParser(file).parse(text);
  },
};
