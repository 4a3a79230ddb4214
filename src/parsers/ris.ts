/**
 * RIS ("TY  - JOUR" … "ER  - "). One pass over the text with indexOf line scanning and char-code tag
 * checks (no per-line regex, no array of all lines), and one pass over each record's entries to build it,
 * so a 100 MB export imports at about 100 MB/s. Accepts CRLF/CR/LF, BOMs, repeated tags, empty
 * tags, unprefixed continuation lines, preambles ("1.", "Record #1 of 2", "Provider: …"), records without
 * TY or without the final ER, and the flattened one-line form (`TY - JOUR AU - … ER -`).
 */
import type { ParsedRecord, RecordType } from '../screening/record';
import { mapRecordType, parseYear } from './normalise';
import {
  FieldBag,
  LineReader,
  ProblemLog,
  RecordSink,
  addAuthors,
  addKeyword,
  clean,
  doiIn,
  headLines,
  isBlank,
  isPlaceholder,
  makeRecord,
  joinPages,
  pmidInText,
  pmidInUrl,
  trimValue,
  trimmedSlice,
} from './tagged';
import type { Importer, ParseResult } from './types';

/** The standard RIS tag names. Only these split a flattened record or count in the single-space form. */
export const RIS_TAGS: readonly string[] = [
  'TY', 'A1', 'A2', 'A3', 'A4', 'AB', 'AD', 'AN', 'AU', 'AV', 'BT', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7',
  'C8', 'CA', 'CN', 'CP', 'CT', 'CY', 'DA', 'DB', 'DO', 'DP', 'ED', 'EP', 'ER', 'ET', 'ID', 'IS', 'J1', 'J2',
  'JA', 'JF', 'JO', 'KW', 'L1', 'L2', 'L3', 'L4', 'LA', 'LB', 'LK', 'M1', 'M2', 'M3', 'N1', 'N2', 'NV', 'OP',
  'PB', 'PP', 'PY', 'RI', 'RN', 'RP', 'SE', 'SN', 'SP', 'ST', 'T1', 'T2', 'T3', 'TA', 'TI', 'TT', 'U1', 'U2',
  'U3', 'U4', 'U5', 'UR', 'VL', 'VO', 'Y1', 'Y2',
];
const KNOWN = new Set(RIS_TAGS);

/** Tags whose unprefixed continuation lines are further values (EndNote writes one keyword per line). */
const LIST_TAGS = new Set(['AU', 'A1', 'A2', 'A3', 'A4', 'KW', 'UR', 'L1', 'L2', 'L4', 'SN', 'AD']);
/** Tags that may repeat in a record besides the list tags. */
const REPEATABLE_TAGS = new Set(['N1', 'M1', 'M3', 'ED', 'U1', 'U2', 'U3', 'U4', 'U5', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'PB', 'LA', 'DB', 'ID', 'RN']);
/** Short-valued tags: an unprefixed line after a blank line does not continue them. */
const SCALAR_TAGS = new Set(['TY', 'ID', 'PY', 'Y1', 'Y2', 'DA', 'DO', 'VL', 'IS', 'SP', 'EP', 'AN', 'PMID', 'ET', 'LA', 'CP', 'DP', 'DB', 'M1']);

/** A known tag preceded by white space (or the line start) and followed by " - ": the flattened form. */
const FLAT_TAG = new RegExp(`(?:^|\\s)(${RIS_TAGS.join('|')}) {1,2}-(?=\\s|$)`, 'g');

const TITLE_TAGS = ['TI', 'T1', 'CT'];
const AUTHOR_TAGS = ['AU', 'A1'];
const YEAR_TAGS = ['PY', 'Y1', 'DA', 'Y2'];
const JOURNAL_TAGS = ['T2', 'JF', 'JO', 'BT', 'JA', 'J2', 'J1', 'T3'];
const BOOK_JOURNAL_TAGS = ['T3', 'T2'];
const DOI_TAGS = ['DO', 'DOI', 'DI', 'M3', 'L3', 'N1', 'UR', 'L2', 'L1', 'U3', 'U1', 'U2', 'U4', 'U5', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'AN', 'ID'];
const PMID_TEXT_TAGS = new Set(['C3', 'N1', 'M3', 'M1', 'M2', 'U1', 'U2', 'U3', 'U4', 'U5', 'C1', 'C2', 'C4', 'C5', 'C6', 'C7', 'C8', 'AN', 'ID']);
const PMID_USER_TAGS = new Set(['U1', 'U2', 'U3', 'U4', 'U5']);
const PMID_HINT = /pmid|pubmed/i;
const URL_TAGS = new Set(['UR', 'L2', 'L1', 'LK']);

/** Lines tolerated before and between records: "1.", "Record #1 of 2", "Provider: …", "Database: …". */
function isPreamble(line: string): boolean {
  const text = trimValue(line);
  return (
    text.length === 0 ||
    /^\d+\.?$/.test(text) ||
    /^Record\s*#?\s*\d+(\s+of\s+\d+)?$/i.test(text) ||
    /^(Provider|Database|Content|Copyright|Exported?|Export date|Downloaded|Source|Search|Query|Results?|Link to the Ovid Full Text or citation)\s*:/i.test(text) ||
    /^(%|#|\/\/)/.test(text)
  );
}

/** Tag strings reused for every line (one two-char string per tag, not one per line). */
const tagCache: (string | undefined)[] = new Array(128 * 128);
function tagOf(c0: number, c1: number): string {
  const key = (c0 << 7) | c1;
  return (tagCache[key] ??= String.fromCharCode(c0, c1));
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isUpperOrDigit = (c: number) => (c >= 65 && c <= 90) || (c >= 48 && c <= 57);

/**
 * Tag lines outside the fast "XX  - " form: leading BOM/space, one space or tabs ("KW - x", "A1\t- x"),
 * "PMID - 1". Forms other than two spaces count only for known tags.
 */
const LOOSE_TAG = /^[ \t\uFEFF]*([A-Z][A-Z0-9]|PMID|DOI)([ \t]{1,3})-(?:[ \t]|$)/;

class RisParser {
  private readonly problems: ProblemLog;
  private readonly sink: RecordSink;
  private bag: FieldBag | undefined;

  constructor(file: string) {
    this.problems = new ProblemLog(file);
    this.sink = new RecordSink(file, 'ris', this.problems);
  }

  parse(input: string): ParseResult {
    const reader = new LineReader(input);
    const text = reader.text;

    while (reader.advance()) {
      const lineNo = reader.lineNo;
      const start = reader.start;
      const n = reader.end - start;
      // Fast path, on the text itself (no line string): "XX  - value" / "XX  -".
      if (n >= 5) {
        const c0 = text.charCodeAt(start);
        const c1 = text.charCodeAt(start + 1);
        if (
          text.charCodeAt(start + 2) === 32 &&
          text.charCodeAt(start + 3) === 32 &&
          text.charCodeAt(start + 4) === 45 &&
          isUpper(c0) &&
          isUpperOrDigit(c1) &&
          (n === 5 || text.charCodeAt(start + 5) === 32)
        ) {
          const value = n > 6 ? trimmedSlice(text, start + 6, reader.end) : '';
          const tag = tagOf(c0, c1);
          if (tag === 'TY' || tag === 'ER' || !this.bag) this.tag(tag, value, lineNo, text.slice(start, reader.end));
          else this.bag.add(tag, value);
          continue;
        }
      }
      const line = text.slice(start, reader.end);
      const loose = n >= 4 ? LOOSE_TAG.exec(line) : null;
      if (loose && ((loose[2] === '  ' && loose[1].length === 2) || KNOWN.has(loose[1]) || loose[1] === 'PMID' || loose[1] === 'DOI')) {
        this.tag(loose[1], trimValue(line.slice(loose[0].length)), lineNo, line);
        continue;
      }
      this.other(line, lineNo);
    }
    if (this.bag) {
      const start = this.bag.line;
      this.problems.add(
        start,
        'warning',
        `The last record (line ${start}) has no closing "ER  -" line; the file may be truncated. The record was imported.`,
      );
      this.finish();
    }
    return { records: this.sink.records, problems: this.problems.finish() };
  }

  private tag(tag: string, value: string, lineNo: number, line: string): void {
    if (tag === 'ER') {
      if (!this.bag) {
        this.problems.add(lineNo, 'warning', `Line ${lineNo}: "ER" without a record before it; ignored.`, 'stray-er', 'stray ER lines');
        return;
      }
      this.finish();
      return;
    }
    if (tag === 'TY') {
      if (value.length > 12 && this.isFlattened(value)) {
        this.flattened(line, lineNo);
        return;
      }
      if (this.bag) {
        this.problems.add(
          this.bag.line,
          'warning',
          `The record at line ${this.bag.line} has no closing "ER  -" line before the next "TY" (line ${lineNo}); imported anyway.`,
          'missing-er',
          'records without ER',
        );
        this.finish();
      }
      this.bag = this.freshBag(lineNo);
      this.bag.add('TY', value);
      return;
    }
    if (!this.bag) {
      if (!KNOWN.has(tag) && tag !== 'PMID' && tag !== 'DOI') {
        // "NL  - …" after Ovid's ER, "UK  - Unknown Tag": not the start of a record.
        this.problems.add(lineNo, 'warning', `Line ${lineNo}: tag "${tag}" outside a record (after its ER); ignored.`, 'stray-tag', 'tag lines outside records');
        return;
      }
      this.bag = this.freshBag(lineNo);
      this.problems.add(lineNo, 'warning', `The record at line ${lineNo} does not start with "TY  -"; read it anyway.`, 'no-ty', 'records without TY');
    }
    this.bag.add(tag, value);
  }

  /** A line that is not a tag line: blank, preamble, continuation, or stray text. */
  private other(line: string, lineNo: number): void {
    const bag = this.bag;
    if (isBlank(line)) {
      if (bag) bag.blank = true;
      return;
    }
    if (!bag) {
      if (!isPreamble(line)) this.stray(line, lineNo, 'outside a record');
      return;
    }
    if (bag.blank && (SCALAR_TAGS.has(bag.lastTag) || isPreamble(line))) {
      this.stray(line, lineNo, 'after a blank line inside a record');
      return;
    }
    const text = trimValue(line);
    if (LIST_TAGS.has(bag.lastTag)) bag.pushLast(text);
    else bag.continueLast(text);
  }

  private stray(line: string, lineNo: number, where: string): void {
    const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
    this.problems.add(lineNo, 'warning', `Line ${lineNo}: text ${where} that is not a RIS tag line; ignored: "${trimValue(shown)}"`, 'stray', 'unrecognised lines');
  }

  private isFlattened(value: string): boolean {
    FLAT_TAG.lastIndex = 0;
    return FLAT_TAG.test(value);
  }

  /**
   * The flattened form: the whole record (or several) on one line, split on known tags only. A tag that
   * cannot repeat and was seen already in the record ("… with AB - testing" inside the abstract) is text.
   */
  private flattened(line: string, lineNo: number): void {
    FLAT_TAG.lastIndex = 0;
    let tag: string | undefined;
    let valueStart = 0;
    const seen = new Set<string>();
    for (let match = FLAT_TAG.exec(line); match; match = FLAT_TAG.exec(line)) {
      const next = match[1];
      if (next === 'TY') seen.clear();
      else if (seen.has(next) && !LIST_TAGS.has(next) && !REPEATABLE_TAGS.has(next)) continue;
      seen.add(next);
      if (tag !== undefined) this.flatTag(tag, trimValue(line.slice(valueStart, match.index)), lineNo);
      else if (!isBlank(line.slice(0, match.index))) this.other(line.slice(0, match.index), lineNo);
      tag = match[1];
      valueStart = match.index + match[0].length;
    }
    if (tag !== undefined) this.flatTag(tag, trimValue(line.slice(valueStart)), lineNo);
  }

  private flatTag(tag: string, value: string, lineNo: number): void {
    // Values of a split line hold no further known tags, so TY is never taken for flattened again.
    this.tag(tag, value, lineNo, '');
  }

  /** One bag serves every record in turn (a record is built before the next one starts). */
  private readonly spare = new FieldBag(0);

  private freshBag(line: number): FieldBag {
    this.spare.reset(line);
    return this.spare;
  }

  private finish(): void {
    const bag = this.bag;
    this.bag = undefined;
    if (!bag) return;
    this.sink.push(buildRis(bag), bag.line);
  }
}

const BOOKISH = new Set<RecordType>(['book', 'report', 'thesis']);

/** The tags whose first value buildRis needs, each with a slot in a per-record array. */
const SLOT_TAGS = ['TY', 'TI', 'T1', 'CT', 'ST', 'BT', 'T2', 'JF', 'JO', 'JA', 'J2', 'J1', 'T3', 'VL', 'VO', 'IS', 'CP', 'SP', 'EP', 'UR', 'L2', 'AB', 'N2', 'PMID', 'AN', 'DP', 'DB'] as const;
type SlotTag = (typeof SLOT_TAGS)[number];
const SLOT = new Map<string, number>(SLOT_TAGS.map((tag, i) => [tag, i]));
const slot = (tag: SlotTag) => SLOT.get(tag) as number;
const S = {
  TY: slot('TY'), VL: slot('VL'), VO: slot('VO'), IS: slot('IS'), CP: slot('CP'), SP: slot('SP'), EP: slot('EP'),
  PMID: slot('PMID'), AN: slot('AN'), DP: slot('DP'), DB: slot('DB'), AB: slot('AB'), N2: slot('N2'),
};
/** Tags mapped to record fields (or dropped) whatever the record: not repeated in metadata. */
const MAPPED_TAGS = ['TY', 'ER', 'VL', 'IS', 'SP', 'EP', 'DO', 'KW', 'PMID', ...AUTHOR_TAGS];

const F_AUTHOR = 1;
const F_KEYWORD = 2;
const F_PMID_TEXT = 4;
const F_PMID_USER = 8;
const F_URL = 16;
const F_MAPPED = 32;

/** What buildRis does with a tag: its slot for the first value, its rank as a year or DOI source, flags. */
interface TagRole {
  slot: number;
  yearRank: number;
  doiRank: number;
  flags: number;
}

/** Roles by tag, for two-character tags by char codes (an array lookup per entry, not five map lookups). */
const ROLES: (TagRole | undefined)[] = new Array(128 * 128);
const LONG_ROLES = new Map<string, TagRole>();

function roleOf(tag: string): TagRole | undefined {
  return tag.length === 2 ? ROLES[((tag.charCodeAt(0) & 127) << 7) | (tag.charCodeAt(1) & 127)] : LONG_ROLES.get(tag);
}

function defineRole(tag: string): TagRole {
  let role = roleOf(tag);
  if (!role) {
    role = { slot: -1, yearRank: -1, doiRank: -1, flags: 0 };
    if (tag.length === 2) ROLES[(tag.charCodeAt(0) << 7) | tag.charCodeAt(1)] = role;
    else LONG_ROLES.set(tag, role);
  }
  return role;
}

SLOT_TAGS.forEach((tag, i) => (defineRole(tag).slot = i));
YEAR_TAGS.forEach((tag, i) => (defineRole(tag).yearRank = i));
DOI_TAGS.forEach((tag, i) => (defineRole(tag).doiRank = i));
for (const tag of AUTHOR_TAGS) defineRole(tag).flags |= F_AUTHOR;
defineRole('KW').flags |= F_KEYWORD;
for (const tag of PMID_TEXT_TAGS) defineRole(tag).flags |= F_PMID_TEXT;
for (const tag of PMID_USER_TAGS) defineRole(tag).flags |= F_PMID_USER;
for (const tag of URL_TAGS) defineRole(tag).flags |= F_URL;
for (const tag of MAPPED_TAGS) defineRole(tag).flags |= F_MAPPED;

/**
 * Maps the tags of one RIS record to a record in one pass over its entries (plus one for the metadata):
 * records of real exports hold 30-100 entries, and a 100 MB file holds 50,000 records.
 */
export function buildRis(bag: FieldBag): Omit<ParsedRecord, 'provenance'> {
  const { tags, vals } = bag;
  const n = tags.length;
  const first: (string | undefined)[] = new Array(SLOT_TAGS.length);
  const authors: string[] = [];
  const keywords: string[] = [];
  let year: number | undefined;
  let yearRank = YEAR_TAGS.length;
  let doi: string | undefined;
  let doiRank = DOI_TAGS.length;
  let pmidText: string | undefined;
  let pmidUser: string | undefined;
  let pmidUrl: string | undefined;

  for (let i = 0; i < n; i++) {
    const value = vals[i];
    if (value.length === 0) continue;
    const role = roleOf(tags[i]);
    if (role === undefined) continue;
    const s = role.slot;
    if (s >= 0 && first[s] === undefined && !((s === S.AB || s === S.N2) && isPlaceholder(value))) first[s] = value;
    const flags = role.flags;
    if (flags & F_AUTHOR) addAuthors(authors, value, false);
    else if (flags & F_KEYWORD) {
      if (value.includes(';')) for (const part of value.split(';')) addKeyword(keywords, part);
      else addKeyword(keywords, value);
    }
    if (role.yearRank >= 0 && role.yearRank < yearRank) {
      const parsed = parseYear(value);
      if (parsed !== undefined) {
        year = parsed;
        yearRank = role.yearRank;
      }
    }
    if (role.doiRank >= 0 && role.doiRank < doiRank && value.indexOf('10.') >= 0) {
      const found = doiIn(value);
      if (found) {
        doi = found;
        doiRank = role.doiRank;
      }
    }
    if (flags & F_PMID_TEXT) {
      if (pmidText === undefined && PMID_HINT.test(value)) pmidText = pmidInText(value);
      if (pmidUser === undefined && flags & F_PMID_USER && /^[1-9]\d{6,7}$/.test(value)) pmidUser = value;
    } else if (pmidUrl === undefined && flags & F_URL && value.length < 2000) {
      pmidUrl = pmidInUrl(value);
    }
  }

  const value = (tag: SlotTag) => clean(first[SLOT.get(tag) as number]);
  const rawType = clean(first[S.TY]);
  const type = mapRecordType(rawType);

  let titleTag: string | undefined = TITLE_TAGS.find((tag) => first[SLOT.get(tag) as number] !== undefined);
  if (!titleTag) {
    // A whole journal (JFULL) is titled by its name; a book may carry its title in BT or T2.
    const fallback: readonly SlotTag[] = /^JFULL/i.test(rawType ?? '') ? ['ST', 'JF', 'JO', 'T2'] : BOOKISH.has(type) ? ['ST', 'BT', 'T2'] : ['ST'];
    titleTag = fallback.find((tag) => first[SLOT.get(tag) as number] !== undefined);
  }
  const title = titleTag ? value(titleTag as SlotTag) : undefined;

  let journal: string | undefined;
  let journalTag: string | undefined;
  for (const tag of (BOOKISH.has(type) ? BOOK_JOURNAL_TAGS : JOURNAL_TAGS) as readonly SlotTag[]) {
    if (tag === titleTag) continue;
    const candidate = value(tag);
    if (candidate && candidate !== title) {
      journal = candidate;
      journalTag = tag;
      break;
    }
  }

  const volume = clean(first[S.VL]) ?? volumeFromVo(clean(first[S.VO]));
  const issue = clean(first[S.IS]) ?? shortNumber(clean(first[S.CP]));
  const pages = joinPages(first[S.SP], first[S.EP]);

  const abstractSlot = first[S.AB] !== undefined ? S.AB : first[S.N2] !== undefined ? S.N2 : -1;
  const abstract = abstractSlot >= 0 ? clean(first[abstractSlot]) : undefined;
  const abstractTag = abstractSlot === S.AB ? 'AB' : abstractSlot === S.N2 ? 'N2' : undefined;

  const url = value('UR') ?? value('L2');
  const pmid = risPmid(first, pmidText, pmidUser, pmidUrl);

  // Metadata: the entries not mapped above, raw (as read: trimmed, continuation lines joined), repeats
  // joined with "; ", copies of mapped values left out.
  let metadata: Record<string, string> | undefined;
  for (let i = 0; i < n; i++) {
    const text = vals[i];
    if (text.length === 0) continue;
    const tag = tags[i];
    const role = roleOf(tag);
    if ((role !== undefined && role.flags & F_MAPPED) || tag === titleTag || tag === journalTag || tag === abstractTag || (tag === 'PY' && yearRank === 0)) continue;
    if (text === title || text === abstract || text === journal || text === url || text === doi) continue;
    metadata ??= {};
    const previous = metadata[tag];
    metadata[tag] = previous === undefined ? text : `${previous}; ${text}`;
  }

  return makeRecord({ title: title ?? '', authors, year, journal, volume, issue, pages, doi, pmid, abstract, keywords, url, type, metadata });
}

function volumeFromVo(value: string | undefined): string | undefined {
  // Some exports put the ISSN in VO; only a volume-like value is a volume.
  if (!value || /^\d{4}-?\d{3}[\dXx]\b/.test(value)) return undefined;
  return /^[\dA-Za-z]{1,8}$/.test(value) ? value : undefined;
}

function shortNumber(value: string | undefined): string | undefined {
  return value && /^[\dA-Za-z/-]{1,8}$/.test(value) && /\d/.test(value) ? value : undefined;
}

/**
 * The PubMed id of a RIS record: a PMID tag; an all-digit AN when the record comes from PubMed/MEDLINE (or
 * does not name an EBSCO/ProQuest/Scopus/… source); "PMID: n"/"PUBMED n" in notes and custom fields; a 7-8
 * digit user field (EndNote libraries keep the PMID in U1-U5); a PubMed or Ovid MEDLINE link.
 */
function risPmid(first: readonly (string | undefined)[], fromText?: string, fromUser?: string, fromUrl?: string): string | undefined {
  const direct = first[S.PMID];
  if (direct && /^\d{1,9}$/.test(direct)) return direct;
  const an = first[S.AN];
  if (an && /^[1-9]\d{0,7}$/.test(an)) {
    const source = `${first[S.DP] ?? ''} ${first[S.DB] ?? ''}`;
    if (/nlm|pubmed|medline/i.test(source) || !/ebsco|proquest|scopus|web of science|psyc|cinahl|embase|eric|jstor|ieee/i.test(source)) return an;
  }
  return fromText ?? fromUser ?? fromUrl;
}

/** Sniffs RIS by content: "TY  - " lines and "XX  - " tag lines, not Ovid's `<1. >` blocks or MEDLINE. */
export function sniffRis(text: string): number {
  const lines = headLines(text);
  let ty = 0;
  let er = 0;
  let tags = 0;
  let medline = 0;
  let ovidMarkers = 0;
  let nonEmpty = 0;
  for (const raw of lines) {
    const line = raw.replace(/^\s+/, '');
    if (!line) continue;
    nonEmpty++;
    if (/^TY {1,2}- ?\S/.test(line)) {
      ty++;
      if (/\sER {1,2}-\s*$/.test(line) || FLAT_TAG.test(line.slice(6))) tags += 5; // flattened record
      FLAT_TAG.lastIndex = 0;
    }
    if (/^ER {1,2}-/.test(line)) er++;
    if (/^[A-Z][A-Z0-9]  -( |$)/.test(line)) tags++;
    if (/^(PMID- ?\d|[A-Z]{3} - |[A-Z]{4}- )/.test(line)) medline++;
    if (/^<\d+\.?\s*>$/.test(line.trim())) ovidMarkers++;
  }
  if (nonEmpty === 0) return 0;
  if (ovidMarkers > 0 && ty === 0) return 0.3;
  if (ty > 0 && tags >= 2) return medline > tags ? 0.5 : 0.95;
  if (ty > 0) return 0.5;
  if (medline > 0) return tags >= 3 ? 0.3 : 0.1;
  if (tags >= 3 && er > 0) return 0.6;
  if (tags >= 3) return 0.35;
  return 0;
}

export const risImporter: Importer = {
  format: 'ris',
  label: 'RIS',
  sniff: sniffRis,
  parse(text: string, file: string): ParseResult {
    return new RisParser(file).parse(text);
  },
};
