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
  hasBareCr,
  headLines,
  isBlank,
  isPlaceholder,
  joinPages,
  pmidInText,
  pmidInUrl,
  trimValue,
  trimmedSlice,
} from './tagged';
import type { Importer, ParseResult } from './types';
import { Utf8Text } from './decode';

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

/**
 * Tag strings reused for every line (one two-char string per tag, not one per line). The known tags are
 * the literals above, which the engine interns, so comparing them (tag === 'TY') is a pointer check.
 */
const tagCache: (string | undefined)[] = new Array(128 * 128);
for (const tag of RIS_TAGS) tagCache[(tag.charCodeAt(0) << 7) | tag.charCodeAt(1)] = tag;
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
      this.line(text.slice(start, reader.end), lineNo);
    }
    return this.end();
  }

  /**
   * parse() of valid UTF-8 through its Latin-1 view (see Utf8Text), with the same records and problems.
   * Tag lines are checked on the bytes (cheaper than on the string) and read off the one-byte text; only
   * values holding non-ASCII bytes are decoded, and any other line is decoded before line() reads it.
   * The text must hold no bare CR (see hasBareCr), so its lines are those of LineReader.
   */
  parseUtf8(source: Utf8Text): ParseResult {
    const { text, bytes } = source;
    const length = bytes.length;
    let pos = 0;
    let lineNo = 0;
    while (pos <= length) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = length;
      const start = pos;
      const end = nl > pos && bytes[nl - 1] === 13 ? nl - 1 : nl;
      pos = nl + 1;
      lineNo++;
      const n = end - start;
      if (n >= 5) {
        const c0 = bytes[start];
        const c1 = bytes[start + 1];
        if (
          bytes[start + 2] === 32 &&
          bytes[start + 3] === 32 &&
          bytes[start + 4] === 45 &&
          isUpper(c0) &&
          isUpperOrDigit(c1) &&
          (n === 5 || bytes[start + 5] === 32)
        ) {
          let value = '';
          if (n > 6) {
            // trimmedSlice() on the decoded text: ASCII white space off the bytes (a byte 0xA0 may end a
            // character such as "à"), NBSPs and BOMs off the decoded value.
            // (Loops written so that their exits run on every value: a statement first run late, for the
            // first value with spaces to trim, would send the optimised loop back to be compiled again.)
            let a = start + 6;
            let b = end;
            for (;;) {
              const next = a + 1;
              if (a >= b || bytes[a] > 32) break;
              a = next;
            }
            for (;;) {
              const previous = b - 1;
              if (previous < a || bytes[previous] > 32) break;
              b = previous;
            }
            if (a < b) {
              value = source.slice(a, b);
              // Decoded (shorter than its bytes): NBSPs and BOMs at the ends go too.
              if (value.length !== b - a) value = trimValue(value);
            }
          }
          const tag = tagOf(c0, c1);
          if (tag === 'TY' || tag === 'ER' || !this.bag) {
            // The line itself matters only for a flattened record (a long TY value).
            this.tag(tag, value, lineNo, tag === 'TY' && value.length > 12 ? source.slice(start, end) : '');
          } else {
            this.bag.add(tag, value);
          }
          continue;
        }
      }
      this.line(source.slice(start, end), lineNo);
    }
    return this.end();
  }

  /** A line that is not a "XX  - " tag line: a tag line of another form, or see other(). */
  private line(line: string, lineNo: number): void {
    const loose = line.length >= 4 ? LOOSE_TAG.exec(line) : null;
    if (loose && ((loose[2] === '  ' && loose[1].length === 2) || KNOWN.has(loose[1]) || loose[1] === 'PMID' || loose[1] === 'DOI')) {
      this.tag(loose[1], trimValue(line.slice(loose[0].length)), lineNo, line);
      return;
    }
    this.other(line, lineNo);
  }

  private end(): ParseResult {
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

/** Slots of the title, title-fallback and journal tags, in the order tried, with their tags. */
const slotList = (list: readonly SlotTag[]) => list.map((tag) => ({ tag, slot: slot(tag) }));
const TITLE_SLOTS = slotList(TITLE_TAGS as SlotTag[]);
const JFULL_TITLE_SLOTS = slotList(['ST', 'JF', 'JO', 'T2']);
const BOOK_TITLE_SLOTS = slotList(['ST', 'BT', 'T2']);
const OTHER_TITLE_SLOTS = slotList(['ST']);
const JOURNAL_SLOTS = slotList(JOURNAL_TAGS as SlotTag[]);
const BOOK_JOURNAL_SLOTS = slotList(BOOK_JOURNAL_TAGS as SlotTag[]);
const UR_SLOT = slot('UR');
const L2_SLOT = slot('L2');

/** The first value of each slot tag in the record being built (see scanEntries). */
let firstValues: (string | undefined)[] = [];

/**
 * The authors and keywords of the record being built (see scanEntries), copied into the record: an array
 * grown by push keeps room for 17 entries, a copy holds just its own (a few MB less, and less for the
 * garbage collector to move, per 50,000 records).
 */
let authorScratch: string[] = [];
let keywordScratch: string[] = [];

/** Record types by raw TY value: an export holds a handful of them, and mapRecordType runs a dozen regexes. */
const typeCache = new Map<string, RecordType>();

function recordType(raw: string | undefined): RecordType {
  if (raw === undefined) return mapRecordType(raw);
  let type = typeCache.get(raw);
  if (type === undefined) {
    type = mapRecordType(raw);
    if (typeCache.size < 1000) typeCache.set(raw, type);
  }
  return type;
}

/** parseYear, with the plain four-digit year ("2010") read without a regex. Exported for tests. */
export function yearOf(value: string): number | undefined {
  if (value.length === 4) {
    let year = 0;
    for (let i = 0; i < 4; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return parseYear(value);
      year = year * 10 + d;
    }
    // (?:^|[^\d])(1[5-9]\d\d|20\d\d|2100)(?!\d) on four digits.
    return year >= 1500 && year <= 2100 ? year : undefined;
  }
  return parseYear(value);
}

/** Trailing characters normaliseDoi strips: [.,;:\])}>"']. */
const isDoiTail = (c: number) => c === 46 || c === 44 || c === 59 || c === 58 || c === 93 || c === 41 || c === 125 || c === 62 || c === 34 || c === 39;

/**
 * doiIn() of a plain DOI ("10.1234/abc": printable ASCII, no white space, no percent-escapes), without its
 * regexes: the whole value, lower-cased, trailing punctuation dropped. Undefined for any other value.
 * Exported for tests.
 */
export function plainDoi(value: string): string | undefined {
  const n = value.length;
  if (n < 9 || value.charCodeAt(0) !== 49 || value.charCodeAt(1) !== 48 || value.charCodeAt(2) !== 46) return undefined;
  let i = 3;
  while (i < n && value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) i++;
  if (i - 3 < 4 || i - 3 > 9 || i + 1 >= n || value.charCodeAt(i) !== 47) return undefined;
  for (let j = i + 1; j < n; j++) {
    const c = value.charCodeAt(j);
    if (c <= 32 || c >= 127 || c === 37) return undefined;
  }
  const doi = value.toLowerCase();
  let end = n;
  while (end > 0 && isDoiTail(doi.charCodeAt(end - 1))) end--;
  return end === n ? doi : doi.slice(0, end);
}

/** What scanEntries() found besides the first values, authors and keywords: one object for all records. */
const found = {
  year: undefined as number | undefined,
  yearRank: 0,
  doi: undefined as string | undefined,
  pmidText: undefined as string | undefined,
  pmidUser: undefined as string | undefined,
  pmidUrl: undefined as string | undefined,
};

/**
 * The one pass over a record's entries: first values by slot, authors, keywords, year, DOI and PubMed id
 * candidates. Kept apart from the rest of buildRis so that each is optimised (and, when the data takes a
 * new turn, re-optimised) on its own: on a large file the optimising compiler's time is a real share.
 */
function scanEntries(bag: FieldBag): void {
  const { tags, vals } = bag;
  const n = tags.length;
  // New arrays for each record: storing new strings into new (young) arrays spares the write barrier that
  // stores into long-lived ones take, and emptying an array by its length is a call into the runtime.
  const first: (string | undefined)[] = new Array<string | undefined>(SLOT_TAGS.length);
  firstValues = first;
  const authors: string[] = [];
  const keywords: string[] = [];
  authorScratch = authors;
  keywordScratch = keywords;
  let year: number | undefined;
  let yearRank = YEAR_TAGS.length;
  let doi: string | undefined;
  let doiRank = DOI_TAGS.length;
  let pmidText: string | undefined;
  let pmidUser: string | undefined;
  let pmidUrl: string | undefined;

  for (let i = 0; i < n; i++) {
    const value = vals[i];
    // Not value.length: values come in more string representations than a property load handles fast.
    if (value === '') continue;
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
      const parsed = yearOf(value);
      if (parsed !== undefined) {
        year = parsed;
        yearRank = role.yearRank;
      }
    }
    if (role.doiRank >= 0 && role.doiRank < doiRank && value.indexOf('10.') >= 0) {
      const candidate = plainDoi(value) ?? doiIn(value);
      if (candidate) {
        doi = candidate;
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
  found.year = year;
  found.yearRank = yearRank;
  found.doi = doi;
  found.pmidText = pmidText;
  found.pmidUser = pmidUser;
  found.pmidUrl = pmidUrl;
}

/**
 * Maps the tags of one RIS record to a record in one pass over its entries (plus one for the metadata):
 * records of real exports hold 30-100 entries, and a 100 MB file holds 50,000 records.
 */
export function buildRis(bag: FieldBag): Omit<ParsedRecord, 'provenance'> {
  scanEntries(bag);
  const first = firstValues;
  const { year, yearRank, doi } = found;
  const rawType = clean(first[S.TY]);
  const type = recordType(rawType);
  const bookish = BOOKISH.has(type);

  let titleTag: string | undefined;
  let title: string | undefined;
  let titleSlots = TITLE_SLOTS;
  for (let pass = 0; pass < 2 && titleTag === undefined; pass++) {
    for (const { tag, slot } of titleSlots) {
      if (first[slot] !== undefined) {
        titleTag = tag;
        title = clean(first[slot]);
        break;
      }
    }
    // A whole journal (JFULL) is titled by its name; a book may carry its title in BT or T2.
    if (titleTag === undefined) titleSlots = /^JFULL/i.test(rawType ?? '') ? JFULL_TITLE_SLOTS : bookish ? BOOK_TITLE_SLOTS : OTHER_TITLE_SLOTS;
  }

  let journal: string | undefined;
  let journalTag: string | undefined;
  for (const { tag, slot } of bookish ? BOOK_JOURNAL_SLOTS : JOURNAL_SLOTS) {
    if (tag === titleTag) continue;
    const candidate = clean(first[slot]);
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

  const url = clean(first[UR_SLOT]) ?? clean(first[L2_SLOT]);
  const pmid = risPmid(first, found.pmidText, found.pmidUser, found.pmidUrl);

  const metadata = risMetadata(bag, titleTag, journalTag, abstractTag, yearRank === 0, title, abstract, journal, url, doi);

  // makeRecord()'s fields in its order (the same object shape), written out to spare an object per record.
  const record: Omit<ParsedRecord, 'provenance'> & { provenance: undefined } = {
    title: title ?? '',
    authors: authorScratch.slice(),
    year,
    journal,
    volume,
    issue,
    pages,
    doi,
    pmid,
    abstract,
    keywords: keywordScratch.slice(),
    url,
    type,
    fullText: undefined,
    metadata,
    provenance: undefined,
  };
  return record;
}

/**
 * Metadata: the entries not mapped to record fields, raw (as read: trimmed, continuation lines joined),
 * repeats joined with "; ", copies of mapped values left out.
 */
function risMetadata(
  bag: FieldBag,
  titleTag: string | undefined,
  journalTag: string | undefined,
  abstractTag: string | undefined,
  yearFromPy: boolean,
  title: string | undefined,
  abstract: string | undefined,
  journal: string | undefined,
  url: string | undefined,
  doi: string | undefined,
): Record<string, string> | undefined {
  const { tags, vals } = bag;
  let metadata: Record<string, string> | undefined;
  for (let i = 0; i < tags.length; i++) {
    const text = vals[i];
    if (text === '') continue;
    const tag = tags[i];
    const role = roleOf(tag);
    if ((role !== undefined && role.flags & F_MAPPED) || tag === titleTag || tag === journalTag || tag === abstractTag || (tag === 'PY' && yearFromPy)) continue;
    if (text === title || text === abstract || text === journal || text === url || text === doi) continue;
    metadata ??= {};
    const previous = metadata[tag];
    metadata[tag] = previous === undefined ? text : `${previous}; ${text}`;
  }
  return metadata;
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

/**
 * RIS from the bytes of a UTF-8 file (without its BOM, valid UTF-8: see utf8Body), without decoding the
 * whole file: the same result as risImporter.parse() of the decoded text, faster and in half the memory.
 */
export function parseRisUtf8(body: Buffer, file: string): ParseResult {
  const source = new Utf8Text(body);
  // LineReader turns bare CRs into LFs, which would move offsets off the bytes: such files are decoded.
  if (hasBareCr(source.text)) return new RisParser(file).parse(body.toString('utf8'));
  return new RisParser(file).parseUtf8(source);
}

export const risImporter: Importer = {
  format: 'ris',
  label: 'RIS',
  sniff: sniffRis,
  parse(text: string, file: string): ParseResult {
    return new RisParser(file).parse(text);
  },
};
