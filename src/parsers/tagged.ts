/**
 * Shared machinery of the line-tagged formats (RIS, MEDLINE, Web of Science, Ovid, RefWorks, EndNote/Refer):
 * a line reader that never splits the whole text into an array, a per-record bag of tag values, a problem
 * collector that keeps reports short, and the field helpers every tagged importer needs.
 */
import type { FormatId, ImportProblem, ParsedRecord, ProblemSeverity } from '../screening/record';
import { ORGANISATION, cleanText, normaliseAuthor, normaliseDoi, parseYear } from './normalise';

// ---------------------------------------------------------------------------------------------------------
// Lines

/** True when the text has a CR that is not part of a CRLF pair (old Mac line ends, or mixed ends). */
export function hasBareCr(text: string): boolean {
  let i = text.indexOf('\r');
  while (i >= 0) {
    if (text.charCodeAt(i + 1) !== 10) return true;
    i = text.indexOf('\r', i + 2);
  }
  return false;
}

/**
 * Reads a text line by line (LF, CRLF or bare CR ends) with indexOf, one line at a time. `lineNo` is the
 * 1-based number of the line last returned. Bare CRs are turned into LFs once, up front, so line numbers
 * stay those of the decoded text.
 */
export class LineReader {
  readonly text: string;
  private pos = 0;
  lineNo = 0;
  /** Start and end (excluding the line break) of the line last read. */
  start = 0;
  end = 0;

  constructor(text: string) {
    this.text = hasBareCr(text) ? text.replace(/\r\n?/g, '\n') : text;
  }

  /** Moves to the next line without building its string; false at the end of the text. */
  advance(): boolean {
    const text = this.text;
    const pos = this.pos;
    if (pos > text.length) return false;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    this.pos = end + 1;
    this.lineNo++;
    this.start = pos;
    this.end = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    return true;
  }

  /** The next line as a string, undefined at the end of the text. */
  next(): string | undefined {
    return this.advance() ? this.text.slice(this.start, this.end) : undefined;
  }
}

/** True for a line that is empty or holds only white space (and BOMs). */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c > 32 && c !== 0xfeff && c !== 0xa0) return false;
  }
  return true;
}

/** White space, NBSP and BOM: what value trimming removes. */
const isTrimmable = (c: number) => c <= 32 || c === 0xa0 || c === 0xfeff;

/** Trims white space and stray BOMs, without allocating when there is nothing to trim. */
export function trimValue(value: string): string {
  return trimmedSlice(value, 0, value.length);
}

/** text.slice(start, end) without the white space (and BOMs) at either end. */
export function trimmedSlice(text: string, start: number, end: number): string {
  let a = start;
  let b = end;
  while (a < b && isTrimmable(text.charCodeAt(a))) a++;
  while (b > a && isTrimmable(text.charCodeAt(b - 1))) b--;
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

/** The first lines of a text (at most `maxLines`, within its first `maxChars` characters), for sniffing. */
export function headLines(text: string, maxLines = 200, maxChars = 32_768): string[] {
  const head = text.length > maxChars ? text.slice(0, maxChars) : text;
  const lines = head.split(/\r\n|\r|\n/, maxLines + 1);
  if (text.length > maxChars && lines.length <= maxLines) lines.pop(); // the last line may be cut
  return lines.slice(0, maxLines).map((line) => line.replace(/^\uFEFF+/, ''));
}

/**
 * True when cleanText would change the value: leading, trailing or repeated spaces, or white space other
 * than a space (any control character, and JavaScript's \s beyond ASCII). A regex: the engine scans a
 * string faster than a loop of charCodeAt over values of several string representations. Exported for tests.
 */
const NEEDS_CLEANING = /[\x00-\x1f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|^ | $| {2}/;
export function needsCleaning(raw: string): boolean {
  return raw.length === 0 || NEEDS_CLEANING.test(raw);
}

/** Values longer than this (abstracts, notes) are not scanned again for white space, see clean(). */
const LONG_VALUE = 300;

/**
 * cleanText (white space collapsed, trimmed; undefined when empty) without building a new string when the
 * value is clean already, which most are. This is the hot path of every tagged importer, so long values
 * (abstracts: most of the bytes of an export) are taken as read: the readers already trim every line and
 * join continuation lines with one space; only runs of spaces inside a line would remain.
 */
export function clean(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.length === 0) return undefined;
  // Not even a read of one character: that would flatten the rope a multi-line value is built as.
  if (raw.length > LONG_VALUE) return raw;
  return needsCleaning(raw) ? cleanText(raw) : raw;
}

// ---------------------------------------------------------------------------------------------------------
// Problems

/**
 * Collects problems for one file. Problems of one kind beyond `cap` are counted, not listed, and summed
 * up in one closing problem, so a file with 100,000 odd lines does not yield 100,000 problems.
 */
export class ProblemLog {
  private readonly list: ImportProblem[] = [];
  private readonly counts = new Map<string, { n: number; severity: ProblemSeverity; label: string }>();

  constructor(
    readonly file: string,
    private readonly cap = 20,
  ) {}

  add(line: number, severity: ProblemSeverity, message: string, kind?: string, label?: string): void {
    if (kind) {
      const entry = this.counts.get(kind);
      if (entry) entry.n++;
      else this.counts.set(kind, { n: 1, severity, label: label ?? kind });
      if ((entry?.n ?? 1) > this.cap) return;
    }
    this.list.push({ file: this.file, line, severity, message });
  }

  finish(): ImportProblem[] {
    for (const { n, severity, label } of this.counts.values()) {
      if (n > this.cap) {
        this.list.push({ file: this.file, line: 0, severity, message: `… and ${n - this.cap} more ${label} not listed (${n} in all).` });
      }
    }
    return this.list;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Records as bags of tag values

/**
 * The tag values of one record, in the order read; each tag occurrence (or list continuation line) is one
 * entry. Two flat arrays rather than a map of arrays: records hold a few dozen entries, a linear scan is
 * cheap, and a 100 MB file makes a million of these entries.
 */
export class FieldBag {
  tags: string[] = [];
  vals: string[] = [];
  lastTag = '';
  /** Set when a blank line was read since the last tag line. */
  blank = false;

  constructor(public line: number) {}

  /**
   * Empties the bag for the next record. New arrays: setting `length` to 0 is a call into the runtime and
   * drops the backing store anyway, and stores into new (young) arrays skip the write barrier.
   */
  reset(line: number): void {
    this.tags = [];
    this.vals = [];
    this.lastTag = '';
    this.blank = false;
    this.line = line;
  }

  add(tag: string, value: string): void {
    this.tags.push(tag);
    this.vals.push(value);
    this.lastTag = tag;
    this.blank = false;
  }

  /**
   * Appends a continuation line to the last value, joined with a space. The result is a rope of slices of
   * the source: cheaper in memory and for the garbage collector than a copy, and flattened once when read.
   */
  continueLast(text: string): boolean {
    const i = this.vals.length - 1;
    if (i < 0) return false;
    const last = this.vals[i];
    this.vals[i] = last.length > 0 ? `${last} ${text}` : text;
    return true;
  }

  /** Adds a continuation line as a further value of the last tag (multi-valued tags: authors, keywords). */
  pushLast(text: string): boolean {
    if (this.vals.length === 0) return false;
    this.tags.push(this.lastTag);
    this.vals.push(text);
    return true;
  }

  /** Number of entries. */
  get size(): number {
    return this.tags.length;
  }

  has(tag: string): boolean {
    return this.tags.includes(tag);
  }

  /** All values of a tag, raw; undefined when the tag is absent. */
  values(tag: string): string[] | undefined {
    let out: string[] | undefined;
    const tags = this.tags;
    for (let i = 0; i < tags.length; i++) {
      if (tags[i] === tag) (out ??= []).push(this.vals[i]);
    }
    return out;
  }

  /** The first non-empty value of one tag, cleaned. */
  get(tag: string): string | undefined {
    return this.firstOf(tag, false);
  }

  /** The first non-empty value among the tags, in the order given, cleaned. */
  first(tags: readonly string[]): string | undefined {
    for (const tag of tags) {
      const text = this.firstOf(tag, false);
      if (text !== undefined) return text;
    }
    return undefined;
  }

  /** Like first(), skipping placeholders such as "NA" or "[No abstract available]" (for abstracts). */
  firstText(tags: readonly string[]): string | undefined {
    for (const tag of tags) {
      const text = this.firstOf(tag, true);
      if (text !== undefined) return text;
    }
    return undefined;
  }

  private firstOf(tag: string, skipPlaceholders: boolean): string | undefined {
    const tags = this.tags;
    for (let i = 0; i < tags.length; i++) {
      if (tags[i] !== tag) continue;
      const text = clean(this.vals[i]);
      if (text !== undefined && !(skipPlaceholders && isPlaceholder(text))) return text;
    }
    return undefined;
  }

  /** The tag (among those given) that holds the first non-empty value (optionally not a placeholder). */
  firstTag(tags: readonly string[], skipPlaceholders = false): string | undefined {
    return this.pick(tags, skipPlaceholders) === undefined ? undefined : this.picked;
  }

  /** Tag of the value last returned by pick(). */
  picked = '';

  /** Like first(), and sets `picked` to the tag the value came from. */
  pick(tags: readonly string[], skipPlaceholders = false): string | undefined {
    for (const tag of tags) {
      const text = this.firstOf(tag, skipPlaceholders);
      if (text !== undefined) {
        this.picked = tag;
        return text;
      }
    }
    return undefined;
  }

  /** All non-empty values of the tags, cleaned, tag by tag. */
  all(tags: readonly string[]): string[] {
    const out: string[] = [];
    for (const tag of tags) {
      for (let i = 0; i < this.tags.length; i++) {
        if (this.tags[i] !== tag) continue;
        const text = clean(this.vals[i]);
        if (text !== undefined) out.push(text);
      }
    }
    return out;
  }
}

/**
 * The source fields not mapped to a record field, compactly: values as read (the readers trim them and join
 * continuation lines), repeated tags joined with "; ", empty ones and exact copies of mapped values
 * (N2 = AB, ST = TI, …) left out. Keys are the tags as written.
 */
export function metadataOf(
  bag: FieldBag,
  used: readonly string[] | ReadonlySet<string>,
  mapped: readonly (string | undefined)[],
): Record<string, string> | undefined {
  let metadata: Record<string, string> | undefined;
  const isUsed = Array.isArray(used) ? (tag: string) => used.includes(tag) : (tag: string) => (used as ReadonlySet<string>).has(tag);
  const { tags, vals } = bag;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    if (isUsed(tag)) continue;
    const text = vals[i];
    if (text.length === 0 || mapped.includes(text)) continue;
    metadata ??= {};
    const previous = metadata[tag];
    metadata[tag] = previous === undefined ? text : `${previous}; ${text}`;
  }
  return metadata;
}

// ---------------------------------------------------------------------------------------------------------
// Field helpers

const DEGREES =
  /^(?:MD|M\.D\.|PhD|Ph\.?D\.?|MPH|M\.P\.H\.|RN|BSN|MSN|DNP|APRN|FAAN|FACSM|FACS|FACP|FRCP|FRCPC|FRCS|MBBS|MBChB|MB|BS|BSc|MSc|MS|MA|BA|DDS|DMD|DO|DrPH|ScD|PharmD|MBA|MSW|LCSW|CNS|NP|PA-C|OTR|DPT|EdD|PsyD|MHS|MSPH|MMed|FRACP|FRANZCP|CCC-SLP)\.?$/;

/**
 * Cleans one author as exports write it and returns it as "Family, Given": drops e-mail addresses in
 * parentheses, affiliation markers ("Zhang, Weijia 1,2,+", "Verbeek, Jan MD *") and trailing degrees.
 */
export function cleanAuthor(raw: string): string {
  let name = raw;
  // E-mail addresses in brackets, editor marks: "Stillman, Andrew N. (a@b.edu)", "Benz, G [E-mail: g@x]", "Max [Ed]".
  if (name.includes('(') || name.includes('[')) name = name.replace(/\([^)]*@[^)]*\)|\[[^\]]*@[^\]]*\]|\[(?:Ed|Eds|Editor|Editors)\.?\]/gi, ' ');
  // Organisations ("Study Group of GERD", "… Committee 2000") stay as written.
  if (!name.includes(',') && ORGANISATION.test(name)) return clean(name) ?? '';
  // Affiliation markers after the name: "Zhang, Weijia 1,2,+", "Verbeek, Jan MD *", "Simon, Ph. 1".
  name = name.replace(/(?:\s+[\d,*+†‡§#]+|[*+†‡§#]+|,)+\s*$/u, '');
  // "Surname I I" / "Fanning E." (initials after the family name, no comma).
  if (!name.includes(',')) {
    const initials = /^(\S.*?\S)\s+((?:\p{Lu}\.?[\s-]*){1,4})$/u.exec(name.trim());
    if (initials && !/^(?:\p{Lu}\.?[\s-]*)+$/u.test(initials[1]) && /\p{Ll}/u.test(initials[1])) name = `${initials[1]}, ${initials[2].trim()}`;
  }
  // Degrees after the given names: "Gazic, Barbara MD, PhD", "Peterson, James A. Ph.D., FACSM".
  if (/[A-Z]{2}|Ph\.?D|\bDr\b/.test(name)) {
    const comma = name.indexOf(',');
    if (comma > 0) {
      const family = name.slice(0, comma);
      const tokens = name.slice(comma + 1).split(/[\s,]+/).filter(Boolean);
      while (tokens.length > 1 && DEGREES.test(tokens[tokens.length - 1])) tokens.pop();
      name = `${family}, ${tokens.join(' ')}`;
    }
  }
  const cleaned = clean(name);
  return cleaned ? normaliseAuthor(cleaned) : '';
}

/** Longer than any person's or organisation's name. */
export const MAX_AUTHOR_LENGTH = 500;

/**
 * Authors from raw values: each value one author (optionally split on ";"), cleaned, normalised,
 * without empty entries, degree-only fragments or exact duplicates.
 */
export function authorList(values: readonly string[] | undefined, splitSemicolons = false): string[] {
  const out: string[] = [];
  if (!values) return out;
  for (const value of values) addAuthors(out, value, splitSemicolons);
  return out;
}

/** Adds the author(s) of one raw value to a list (see authorList). */
export function addAuthors(out: string[], value: string, splitSemicolons: boolean): void {
  if (splitSemicolons && value.includes(';')) {
    for (const part of value.split(';')) addAuthor(out, part);
  } else {
    addAuthor(out, value);
  }
}

function addAuthor(out: string[], raw: string): void {
  const trimmed = trimValue(raw);
  if (trimmed.length === 0) return;
  // Not a name (a damaged field): kept as written, without the clean-ups below, whose patterns
  // anchored at the end take time quadratic in the length.
  if (trimmed.length > MAX_AUTHOR_LENGTH) {
    const author = cleanText(trimmed);
    if (author && !holds(out, author)) out.push(author);
    return;
  }
  const lastComma = trimmed.lastIndexOf(',');
  if (lastComma === trimmed.length - 1 && trimmed.indexOf(',') === lastComma && lastComma > 0) {
    // "Tactile Labs,": a family name alone (an organisation), as written (normaliseAuthor's rule).
    const family = trimmed.slice(0, -1).trim();
    if (!holds(out, family)) out.push(family);
    return;
  }
  let author = fastAuthor(trimmed) ?? fastGivenFamily(trimmed);
  if (author === undefined && isAsciiWord(trimmed)) {
    // One word ("Anonymous"): the general path below drops a degree and keeps anything else as written.
    if (DEGREES.test(trimmed)) return;
    author = trimmed;
  }
  if (author === undefined) {
    if (DEGREES.test(trimmed.replace(/[\s\d,*+]+$/, ''))) return;
    author = cleanAuthor(trimmed);
  }
  if (author && !holds(out, author)) out.push(author);
}

/** list.includes(text), as a loop the compiler inlines (lists of authors and keywords are short). */
function holds(list: readonly string[], text: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === text) return true;
  return false;
}

/** True for a word of ASCII letters only. */
function isAsciiWord(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c < 97 || c > 122) return false;
  }
  return text.length > 0;
}

/**
 * The common "Family, Given Names" form needs no work: one comma followed by a space, no digits, no
 * parentheses, single spaces, no trailing punctuation but a full stop. Returns it as is, else undefined.
 */
function fastAuthor(name: string): string | undefined {
  const comma = name.indexOf(', ');
  if (comma <= 0 || name.indexOf(',', comma + 1) >= 0) return undefined;
  let previousSpace = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 32) {
      if (previousSpace) return undefined;
      previousSpace = true;
      continue;
    }
    previousSpace = false;
    if (c < 32 || (c >= 48 && c <= 57) || c === 40 || c === 41 || c === 42 || c === 43 || c === 59 || c === 64 || c === 0xa0) return undefined;
  }
  const last = name.charCodeAt(name.length - 1);
  if (last === 32 || last === 44) return undefined;
  // Degrees after the given names need the slow path.
  if (/[A-Z]{2,}$|Ph\.?D/.test(name.slice(comma + 2)) && !/^[A-Z]{1,4}$/.test(name.slice(comma + 2))) return undefined;
  return name;
}

/**
 * Given names (initials or capitalised words), then one family name ending in a lower-case letter:
 * "L H Lindholm", "M. R. Smith", "J.-P. Dupont", "Sverre E Kjeldsen", "Björn Dahlöf".
 */
const GIVEN_FAMILY = /^((?:(?:\p{Lu}\.?(?:-\p{Lu}\.?)?|\p{Lu}[\p{L}'’-]*) )+)(\p{Lu}[\p{L}'’-]*\p{Ll})$/u;
/**
 * GIVEN_FAMILY for ASCII names, where \p{Lu} is A-Z, \p{Ll} a-z and \p{L} both: the same matches, without
 * the cost of Unicode property classes. It captures the last given name too (group 2). A name with a
 * non-ASCII character cannot match it and goes to GIVEN_FAMILY.
 */
const ASCII_GIVEN_FAMILY = /^((?:([A-Z]\.?(?:-[A-Z]\.?)?|[A-Z][A-Za-z'-]*) )+)([A-Z][A-Za-z'-]*[a-z])$/;
const NON_ASCII_CHAR = /[^\x00-\x7f]/;
/** Name particles that normaliseAuthor keeps with the family name ("van Kesteren"). */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'le', 'la', 'dos', 'das', 'ter', 'ten', 'bin', 'al']);

/**
 * "Given Family" (most names in PubMed-derived CSV and RIS, "L H Lindholm", "Björn Dahlöf") without the
 * general path: the same result as normaliseAuthor ("Lindholm, L H") for a fraction of its cost.
 * Undefined for any other shape, for a particle before the family name ("Jan Van Berg") and for
 * organisation words ("J. Trust"), which normaliseAuthor treats its own way. Exported for tests.
 */
export function fastGivenFamily(name: string): string | undefined {
  if (name.length > 80) return undefined;
  let given: string;
  let family: string;
  let lastGiven: number;
  const ascii = ASCII_GIVEN_FAMILY.exec(name);
  if (ascii) {
    given = ascii[1].slice(0, -1);
    lastGiven = ascii[2].length;
    family = ascii[3];
  } else {
    const match = NON_ASCII_CHAR.test(name) ? GIVEN_FAMILY.exec(name) : null;
    if (!match) return undefined;
    given = match[1].slice(0, -1);
    lastGiven = given.length - given.lastIndexOf(' ') - 1;
    family = match[2];
  }
  // The last given name may be a particle ("Jan van Berg"): two to five letters, so initials and longer
  // names need no lower-casing.
  if (lastGiven >= 2 && lastGiven <= 5 && PARTICLES.has(given.slice(given.length - lastGiven).toLowerCase())) return undefined;
  if (ORGANISATION.test(name)) return undefined;
  return `${family}, ${given}`;
}

/** Placeholders exports write for a missing value ("NA", "n/a", "[No abstract available]"). */
export function isPlaceholder(value: string): boolean {
  if (value.length > 40) return false;
  // The pattern starts with "[", white space, "n" or "a": any other ASCII first character rules it out.
  const c = value.charCodeAt(0);
  if (c > 32 && c < 0x80 && c !== 91 && c !== 78 && c !== 110 && c !== 65 && c !== 97) return false;
  return /^\[?\s*(?:n\/?a|none|null|no abstract(?: available)?|abstract not available|not available)\.?\s*\]?$/i.test(value);
}

/** Keywords from raw values: each value split on ";" (and on commas when `commas`), trimmed, deduplicated. */
export function keywordList(values: readonly string[], commas = false): string[] {
  const out: string[] = [];
  for (const value of values) {
    if (value.includes(';') || (commas && value.includes(','))) {
      for (const part of value.split(value.includes(';') ? ';' : ',')) addKeyword(out, part);
    } else {
      addKeyword(out, value);
    }
  }
  return out;
}

/** Adds one keyword to a list: cleaned, without a final full stop, placeholders or exact duplicates. */
export function addKeyword(out: string[], raw: string): void {
  let keyword = clean(raw);
  if (keyword === undefined) return;
  if (keyword.charCodeAt(keyword.length - 1) === 46) keyword = keyword.slice(0, -1).trimEnd();
  if (keyword.length === 0 || isPlaceholder(keyword) || holds(out, keyword)) return;
  out.push(keyword);
}

/** A year from the first value of the tags that holds one. */
export function yearFrom(bag: FieldBag, tags: readonly string[]): number | undefined {
  const { tags: all, vals } = bag;
  for (const tag of tags) {
    for (let i = 0; i < all.length; i++) {
      if (all[i] !== tag) continue;
      const year = parseYear(vals[i]);
      if (year !== undefined) return year;
    }
  }
  return undefined;
}

/**
 * The first DOI found in the values of the tags, in the order given. Values that are URLs lose their
 * query string first, so "https://doi.org/10.1/x?via=y" gives "10.1/x".
 */
export function doiFrom(bag: FieldBag, tags: readonly string[]): string | undefined {
  const { tags: all, vals } = bag;
  for (const tag of tags) {
    for (let i = 0; i < all.length; i++) {
      if (all[i] !== tag) continue;
      const value = vals[i];
      if (value.indexOf('10.') < 0) continue;
      const doi = doiIn(value);
      if (doi) return doi;
    }
  }
  return undefined;
}

/** The DOI in one value ("10.1/x", "doi:10.1/x", "https://doi.org/10.1/x", "10.1/x [doi]"). */
export function doiIn(value: string): string | undefined {
  let text = value;
  if (/^\s*https?:\/\//i.test(text)) text = text.replace(/[?#].*$/, '');
  return normaliseDoi(text);
}

/** PubMed ids written inside free text: "PMID: 123", "PUBMED 123", "pmid:123". */
export function pmidInText(value: string): string | undefined {
  const match = /\b(?:PMID|PUBMED(?:\s*ID)?)\s*[:=]?\s*(\d{1,9})\b/i.exec(value);
  return match ? match[1] : undefined;
}

/** PubMed ids in links: pubmed.ncbi.nlm.nih.gov/123, ncbi.nlm.nih.gov/pubmed/123, Ovid MEDLINE "D=medl…&AN=123". */
export function pmidInUrl(value: string): string | undefined {
  let match = /(?:pubmed\.ncbi\.nlm\.nih\.gov\/|ncbi\.nlm\.nih\.gov\/pubmed\/)(\d{1,9})\b/i.exec(value);
  if (match) return match[1];
  if (/ovidweb\.cgi/i.test(value) && /[?&]D=(?:med|prem)\w*/i.test(value)) {
    match = /[?&]AN=(\d{1,9})(?:&|$)/.exec(value);
    if (match) return match[1];
  }
  return undefined;
}

function isPageDash(c: number): boolean {
  return c === 45 || (c >= 0x2010 && c <= 0x2014) || c === 0x2212;
}

/**
 * `value.split(/\s*(?:--?|[‐‑‒–—−])\s*\/)` in one pass: that pattern rescans a long run of white space
 * from each of its characters (time quadratic in the run's length). A run not followed by a dash is
 * text, whichever of its characters a match would start at.
 */
function splitOnDashes(value: string): string[] {
  const parts: string[] = [];
  let from = 0;
  let i = 0;
  while (i < value.length) {
    let j = i;
    while (j < value.length && /\s/.test(value[j])) j++;
    if (j < value.length && isPageDash(value.charCodeAt(j))) {
      parts.push(value.slice(from, i));
      let k = j + (value[j] === '-' && value[j + 1] === '-' ? 2 : 1);
      while (k < value.length && /\s/.test(value[k])) k++;
      from = i = k;
      continue;
    }
    i = j > i ? j : i + 1;
  }
  parts.push(value.slice(from));
  return parts;
}

/** True when a value may start with "no" or holds a dash splitOnDashes splits on: joinPages' slow cases. */
function hasDashOrNo(value: string): boolean {
  if ((value.charCodeAt(0) | 0x20) === 110 && (value.charCodeAt(1) | 0x20) === 111) return true;
  for (let i = 0; i < value.length; i++) {
    if (isPageDash(value.charCodeAt(i))) return true;
  }
  return false;
}

/**
 * Pages as "start-end": joins a start and an end page, accepts a range in the start field, turns dashes
 * into a hyphen and expands abbreviated ends ("454-81" -> "454-481").
 */
export function joinPages(start: string | undefined, end?: string | undefined): string | undefined {
  let first = clean(start);
  let last = clean(end);
  // A single page or article number ("210", "e0123"): nothing below would change it.
  if (first !== undefined && last === undefined && !hasDashOrNo(first)) return first;
  // Ovid writes "No Pagination Specified", sometimes split over SP ("No") and EP ("Specified").
  if (first && /^no\b/i.test(first) && (!last || /specified/i.test(last) || /pagination|specified/i.test(first))) return undefined;
  if (first && !last) {
    const parts = splitOnDashes(first);
    if (parts.length === 2 && parts[0] && parts[1]) [first, last] = parts;
  }
  if (!first) return last;
  if (!last || last === first) return first;
  if (/^\d+$/.test(first) && /^\d+$/.test(last) && last.length < first.length && Number(last) < Number(first)) {
    last = first.slice(0, first.length - last.length) + last;
  }
  return `${first}-${last}`;
}

// ---------------------------------------------------------------------------------------------------------
// Finishing records

/** Fields that make a record worth importing even without a title. */
function hasBibliographicData(record: ParsedRecord): boolean {
  return (
    record.authors.length > 0 ||
    record.year !== undefined ||
    !!record.journal ||
    !!record.doi ||
    !!record.pmid ||
    !!record.abstract ||
    record.keywords.length > 0 ||
    !!record.url ||
    !!record.volume ||
    !!record.pages ||
    !!record.fullText ||
    (record.metadata !== undefined && Object.keys(record.metadata).length > 0)
  );
}

/**
 * Collects the records of one file: numbers them, checks them (a record without a title is imported with
 * a warning when it has other data, a record without any data is skipped with a warning).
 */
export class RecordSink {
  readonly records: ParsedRecord[] = [];

  constructor(
    private readonly file: string,
    private readonly format: FormatId,
    private readonly problems: ProblemLog,
  ) {}

  /** Adds a record built without provenance; returns false when it was skipped. */
  push(record: Omit<ParsedRecord, 'provenance'>, line: number): boolean {
    const full = record as ParsedRecord;
    full.provenance = { file: this.file, format: this.format, line, index: this.records.length };
    if (!full.title) {
      if (!hasBibliographicData(full)) {
        this.problems.add(line, 'warning', `The record at line ${line} holds no data (no title, authors, year, source or identifiers); skipped.`, 'empty-record', 'records without data');
        return false;
      }
      full.title = '';
      this.problems.add(line, 'warning', `The record at line ${line} has no title; imported without one.`, 'no-title', 'records without a title');
    }
    this.records.push(full);
    return true;
  }
}

type RecordFields = Omit<ParsedRecord, 'provenance'>;

/**
 * A record with every field present, in one fixed order (absent ones undefined, which JSON leaves out).
 * One object shape for all records keeps the optimised code that builds and reads them from being thrown
 * away for each new combination of fields (measured: a quarter of the RIS import time of a 20 MB file).
 */
export function makeRecord(fields: RecordFields): RecordFields {
  const record: RecordFields & { provenance: undefined } = {
    title: fields.title,
    authors: fields.authors,
    year: fields.year,
    journal: fields.journal,
    volume: fields.volume,
    issue: fields.issue,
    pages: fields.pages,
    doi: fields.doi,
    pmid: fields.pmid,
    abstract: fields.abstract,
    keywords: fields.keywords,
    url: fields.url,
    type: fields.type,
    fullText: fields.fullText,
    metadata: fields.metadata,
    // Set by RecordSink.push; present from the start, so that setting it keeps the object's shape and
    // its properties in the object (adding it would move it to a separate property array).
    provenance: undefined,
  };
  return record;
}
