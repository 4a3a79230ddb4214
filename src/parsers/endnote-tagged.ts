/**
 * EndNote / Refer tagged text (.enw, .enl, .txt): "%0 Journal Article", "%T title", "%A Family, Given", …
 * Records are separated by blank lines; a second "%0" inside a block also starts a new record (EndNote
 * writes %0 first, but some exports put %T first, so a record is not cut at every %0).
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

const LIST_TAGS = new Set(['%A', '%E', '%Y', '%?', '%K', '%U', '%>', '%@']);

class EndnoteParser {
  private readonly problems: ProblemLog;
  private readonly sink: RecordSink;
  private bag: FieldBag | undefined;

  constructor(file: string) {
    this.problems = new ProblemLog(file);
    this.sink = new RecordSink(file, 'endnote-tagged', this.problems);
  }

  parse(text: string): ParseResult {
    const reader = new LineReader(text);
    for (let raw = reader.next(); raw !== undefined; raw = reader.next()) {
      const lineNo = reader.lineNo;
      const line = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (isBlank(line)) {
        this.finish();
        continue;
      }
      const n = line.length;
      if (line.charCodeAt(0) === 37 && n >= 2 && line.charCodeAt(1) > 32 && (n === 2 || line.charCodeAt(2) === 32)) {
        const tag = line.slice(0, 2);
        const value = n > 3 ? trimValue(line.slice(3)) : '';
        if (tag === '%0' && this.bag?.has('%0')) this.finish();
        this.bag ??= new FieldBag(lineNo);
        this.bag.add(tag, value);
        continue;
      }
      const bag = this.bag;
      if (bag && bag.lastTag) {
        const value = trimValue(line);
        if (LIST_TAGS.has(bag.lastTag)) bag.pushLast(value);
        else bag.continueLast(value);
        continue;
      }
      const shown = trimValue(line.length > 60 ? `${line.slice(0, 60)}…` : line);
      this.problems.add(lineNo, 'warning', `Line ${lineNo}: text outside a record that is not an EndNote tag line; ignored: "${shown}"`, 'stray', 'unrecognised lines');
    }
    this.finish();
    return { records: this.sink.records, problems: this.problems.finish() };
  }

  private finish(): void {
    const bag = this.bag;
    this.bag = undefined;
    if (bag) this.sink.push(buildEndnote(bag), bag.line);
  }
}

function endnoteType(raw: string | undefined, bag: FieldBag): RecordType {
  const t = (raw ?? '').toLowerCase().trim();
  if (!t) return bag.has('%J') ? 'journal-article' : bag.has('%B') && bag.has('%I') ? 'book-chapter' : 'journal-article';
  if (/^(book section|chapter)/.test(t)) return 'book-chapter';
  if (/^(edited book|electronic book|book)/.test(t)) return 'book';
  if (/^(electronic article|journal|magazine|newspaper)/.test(t)) return 'journal-article';
  if (/^(conference)/.test(t)) return 'conference-paper';
  return mapRecordType(raw);
}

/** Maps the tags of one EndNote/Refer record to a record. */
export function buildEndnote(bag: FieldBag): Omit<ParsedRecord, 'provenance'> {
  const used = new Set<string>(['%0', '%T', '%A', '%D', '%V', '%N', '%P', '%R', '%X', '%K', '%U']);
  const title = bag.get('%T') ?? bag.get('%!');
  if (!bag.has('%T') && title) used.add('%!');
  const journalTag = bag.firstTag(['%J', '%B', '%S']);
  const journal = journalTag ? bag.get(journalTag) : undefined;
  if (journalTag) used.add(journalTag);
  const keywords = keywordList(bag.all(['%K']).flatMap((value) => value.split(/(?<!\s)\s*[\r\n]+\s*/)));
  const url = bag.get('%U');
  const accession = bag.get('%M');
  const provider = `${bag.get('%W') ?? ''} ${bag.get('%~') ?? ''}`;
  const pmid = accession && /^\d{1,8}$/.test(accession) && (!provider.trim() || /pubmed|nlm|medline/i.test(provider)) ? accession : undefined;
  const metadata = metadataOf(bag, used, [title, journal]);
  return makeRecord({
    title: title ?? '',
    authors: authorList(bag.values('%A')),
    year: yearFrom(bag, ['%D', '%8']),
    journal,
    volume: bag.get('%V'),
    issue: bag.get('%N'),
    pages: joinPages(bag.get('%P')),
    doi: doiFrom(bag, ['%R', '%U', '%O', '%Z', '%1', '%2', '%3', '%4']),
    pmid,
    abstract: bag.firstText(['%X']),
    keywords,
    url,
    type: endnoteType(bag.get('%0'), bag),
    metadata,
  });
}

/** EndNote/Refer by content: lines "%0 ", "%T ", "%A " and other "%X value" tags. */
export function sniffEndnoteTagged(text: string): number {
  const lines = headLines(text);
  let key = 0;
  let tags = 0;
  let other = 0;
  for (const line of lines) {
    if (isBlank(line)) continue;
    if (/^%[0TA] /.test(line)) key++;
    if (/^%[0-9A-Z@!#$&()*+^>~?|\][] ?/.test(line)) tags++;
    else other++;
  }
  if (key > 0 && tags >= 2 && tags >= other) return 0.9;
  if (key > 0 && tags >= 2) return 0.5;
  return 0;
}

export const endnoteTaggedImporter: Importer = {
  format: 'endnote-tagged',
  label: 'EndNote/Refer tagged',
  sniff: sniffEndnoteTagged,
  parse(text: string, file: string): ParseResult {
    return new EndnoteParser(file).parse(text);
  },
};
