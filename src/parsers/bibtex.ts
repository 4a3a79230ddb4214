/**
 * BibTeX and BibLaTeX (JabRef, Zotero/Better BibTeX, Mendeley, Scopus, WoS, dblp, Crossref, …).
 *
 * Split of work, and why:
 * - Entry structure is read by our own scanner, not citation-js's file grammar: that grammar parses the
 *   whole file at once and throws on the first error, so one broken entry loses the file, and it gives no
 *   line numbers. Ours reads @string (with # concatenation), @comment (balanced or single-line),
 *   @preamble, `{…}` and `(…)` entries, comma-first style, "+" and ":" in field names, % comment lines;
 *   it recovers from missing commas between fields (with a warning) and skips a broken entry with an
 *   error at its line, resynchronising at the next `@type{` that starts a line.
 * - Field values go through citation-js (@citation-js/plugin-bibtex `value.parse`), which does the
 *   LaTeX well: accents and special characters to Unicode ({\"o}, \c{c}, \'{e}, --), case-protection
 *   braces, name lists with particles and {Corporate Authors}, math. A field it cannot parse falls back
 *   to a crude de-LaTeX with a warning.
 * - BibLaTeX → CSL mapping and crossref inheritance (booktitle, year, publisher from the parent) also
 *   come from citation-js; the CSL item then becomes our record through the shared CSL-JSON mapping.
 */
import { parse as parseLatexValue } from '@citation-js/plugin-bibtex/lib/input/value.js';
import { parse as mapToCsl, type BibLatexEntry } from '@citation-js/plugin-bibtex/lib/mapping/index.js';
import fieldTypes from '@citation-js/plugin-bibtex/lib/input/fieldTypes.json';
import type { ImportProblem, ParsedRecord } from '../screening/record';
import { cslItemToRecord, cslNameToString, type CslItem } from './csl-json';
import { cleanText, lineLocator, mapRecordType, normaliseDoi, normalisePmid, parseYear, splitKeywords, stripMarkup } from './normalise';
import type { Importer, ParseResult } from './types';

/** One entry as written: raw field values (macros expanded, braces kept) and where it starts. */
interface RawEntry {
  type: string;
  key: string;
  fields: Map<string, string>;
  offset: number;
  line: number;
}

class BibSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MONTH_MACROS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

/** `@type{` or `@type(` (the entry head) at a given offset. */
const ENTRY_HEAD = /@[ \t]*([A-Za-z][\w:+.-]*)[ \t\r\n]*([{(])/y;
/** A new entry starting a line: used to stop runaway values and to resynchronise after an error. */
const LINE_ENTRY_HEAD = /[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]/y;
const FIELD_NAME = /[^\s=,{}()"#%@]+/y;
/** A citation key; Scopus writes keys with spaces ("Conference paper2022775"), so spaces within a line are kept. */
const KEY = /[^,\r\n{}()"=#%]*/y;
/** A field name; Scopus writes some with a (no-break) space ("funding_text 1"). */
const FIELD_NAME_SPACED = /[^\s=,{}()"#%@]+(?:[ \t\u00a0]+[^\s=,{}()"#%@]+)*(?=[ \t\u00a0]*=)/y;
/** A line that can restart a broken entry: a field ("name = ") or the entry's closing delimiter. */
const FIELD_LINE = /[ \t]*(?:[^\s=,{}()"#%@]+[ \t]*=|[})][ \t]*(?:[\r\n]|$))/y;
const MISSING_COMMA_LOOKAHEAD = /[^\s=,{}()"#%@]+[ \t\r\n]*=/y;

interface ScanResult {
  entries: RawEntry[];
  problems: ImportProblem[];
}

/** Reads the entry structure of a BibTeX file. Never throws. */
function scan(text: string, file: string, lineAt: (offset: number) => number): ScanResult {
  const entries: RawEntry[] = [];
  const problems: ImportProblem[] = [];
  const macros = new Map<string, string>(Object.entries(MONTH_MACROS));
  const n = text.length;
  let i = 0;

  const isLineStart = (offset: number) => offset === 0 || text[offset - 1] === '\n' || text[offset - 1] === '\r';
  const inCommentLine = (at: number) => {
    let p = at - 1;
    while (p >= 0 && text[p] !== '\n' && text[p] !== '\r') p--;
    for (let q = p + 1; q < at; q++) {
      const c = text[q];
      if (c === '%') return true;
      if (c !== ' ' && c !== '\t') return false;
    }
    return false;
  };
  const newEntryStartsAfterNewline = (offset: number) => {
    LINE_ENTRY_HEAD.lastIndex = offset;
    return LINE_ENTRY_HEAD.test(text);
  };
  const skipWs = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xfeff || c === 0xa0) i++;
      else if (c === 37 /* % */) {
        while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      } else break;
    }
  };
  const readBraced = (): string => {
    // text[i] === '{'
    const start = ++i;
    let depth = 1;
    while (i < n) {
      const c = text[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) return text.slice(start, i++);
      } else if ((c === '\n' || c === '\r') && newEntryStartsAfterNewline(i + 1)) {
        throw new BibSyntaxError('a value opened with "{" is not closed before the next entry (unbalanced braces)', start - 1);
      }
      i++;
    }
    throw new BibSyntaxError('a value opened with "{" is not closed before the end of the file (unbalanced braces or truncated file)', start - 1);
  };
  const readQuoted = (): string => {
    // text[i] === '"'
    const start = ++i;
    let depth = 0;
    while (i < n) {
      const c = text[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') depth = Math.max(0, depth - 1);
      else if (c === '"' && depth === 0) return text.slice(start, i++);
      else if ((c === '\n' || c === '\r') && newEntryStartsAfterNewline(i + 1)) {
        throw new BibSyntaxError('a value opened with \'"\' is not closed before the next entry', start - 1);
      }
      i++;
    }
    throw new BibSyntaxError('a value opened with \'"\' is not closed before the end of the file', start - 1);
  };
  /** A value: parts joined by #; braced, quoted, a number or a @string macro. */
  const readValue = (close: string, warn: (message: string, offset: number) => void): string => {
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === '{') value += readBraced();
      else if (c === '"') value += readQuoted();
      else {
        FIELD_NAME.lastIndex = i;
        const m = FIELD_NAME.exec(text);
        if (!m || c === close) throw new BibSyntaxError(`expected a value but found ${describe(c)}`, i);
        let word = m[0];
        // A paren-delimited entry: its closing ")" is not part of a bare word.
        if (close === ')' && word.includes(')')) word = word.slice(0, word.indexOf(')'));
        const at = i;
        i += word.length;
        if (/^\d+$/.test(word)) value += word;
        else {
          const macro = macros.get(word.toLowerCase());
          if (macro !== undefined) value += macro;
          else {
            warn(`undefined @string macro "${word}" (kept as text)`, at);
            value += word;
          }
        }
      }
      skipWs();
      if (text[i] === '#') {
        i++;
        skipWs();
        continue;
      }
      return value;
    }
  };
  const skipBalanced = (open: string) => {
    const close = open === '{' ? '}' : ')';
    const start = i;
    let depth = 0;
    for (; i < n; i++) {
      const c = text[i];
      if (c === open) depth++;
      else if (c === close) {
        depth--;
        if (depth === 0) {
          i++;
          return true;
        }
      }
    }
    i = start;
    return false;
  };
  /** Moves to the next line that starts a field or closes the entry, unless a new entry comes first. */
  const skipToFieldLine = (): boolean => {
    let p = i;
    while (p < n) {
      while (p < n && text[p] !== '\n' && text[p] !== '\r') p++;
      while (p < n && (text[p] === '\n' || text[p] === '\r')) p++;
      if (p >= n) return false;
      if (newEntryStartsAfterNewline(p)) return false;
      FIELD_LINE.lastIndex = p;
      if (FIELD_LINE.test(text)) {
        i = p;
        return true;
      }
    }
    return false;
  };
  const skipLine = () => {
    while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
  };
  /** After an error: the next `@` that starts a line (a new entry), or the end. */
  const resync = (from: number) => {
    const re = /[\r\n][ \t]*@/g;
    re.lastIndex = from;
    const m = re.exec(text);
    i = m ? m.index + 1 : n;
  };

  while (i < n) {
    const at = text.indexOf('@', i);
    if (at < 0) break;
    if (inCommentLine(at)) {
      i = at + 1;
      skipLine();
      continue;
    }
    ENTRY_HEAD.lastIndex = at;
    const head = ENTRY_HEAD.exec(text);
    if (!head) {
      const c = /@[ \t]*([A-Za-z]+)/y;
      c.lastIndex = at;
      const word = c.exec(text);
      if (word && isLineStart(at) && !/^comment$/i.test(word[1])) {
        problems.push({ file, line: lineAt(at), severity: 'warning', message: `Ignored "@${word[1]}": not followed by "{" or "(".` });
      }
      i = at + 1;
      continue;
    }
    const type = head[1].toLowerCase();
    const open = head[2];
    const close = open === '{' ? '}' : ')';
    i = at + head[0].length - 1; // at the opening delimiter
    if (type === 'comment') {
      if (!skipBalanced(open)) skipLine();
      continue;
    }
    if (type === 'preamble') {
      if (!skipBalanced(open)) {
        problems.push({ file, line: lineAt(at), severity: 'warning', message: '@preamble is not closed; skipped to the next entry.' });
        resync(at + 1);
      }
      continue;
    }
    i++; // past the opening delimiter
    const entryLine = lineAt(at);
    const warnings: ImportProblem[] = [];
    const warn = (message: string, offset: number) => warnings.push({ file, line: lineAt(offset), severity: 'warning', message });
    try {
      if (type === 'string') {
        for (;;) {
          skipWs();
          if (text[i] === close) {
            i++;
            break;
          }
          if (text[i] === ',') {
            i++;
            continue;
          }
          FIELD_NAME.lastIndex = i;
          const m = FIELD_NAME.exec(text);
          if (!m) throw new BibSyntaxError(`expected a macro name in @string but found ${describe(text[i])}`, i);
          i += m[0].length;
          skipWs();
          if (text[i] !== '=') throw new BibSyntaxError(`expected "=" after @string name "${m[0]}"`, i);
          i++;
          skipWs();
          macros.set(m[0].toLowerCase(), readValue(close, warn));
        }
        problems.push(...warnings);
        continue;
      }
      // The citation key (possibly missing, possibly followed by a comma on the next line).
      skipWs();
      KEY.lastIndex = i;
      const keyStart = i;
      const keyRaw = KEY.exec(text)?.[0] ?? '';
      i += keyRaw.length;
      let key = keyRaw.trim();
      skipWs();
      if (text[i] === '=') {
        // "@article{ title = …": no key at all.
        i = keyStart;
        key = '';
        warn('entry has no citation key', at);
      } else if (text[i] === ',') i++;
      else if (text[i] !== close) {
        MISSING_COMMA_LOOKAHEAD.lastIndex = i;
        if (MISSING_COMMA_LOOKAHEAD.test(text)) warn(`missing comma after the citation key "${key}"`, i);
        else throw new BibSyntaxError(`expected "," after the citation key "${key}" but found ${describe(text[i])}`, i);
      }
      const fields = new Map<string, string>();
      for (;;) {
        skipWs();
        if (i >= n) throw new BibSyntaxError(`entry "${key}" is not closed (missing "${close}" or truncated file)`, at);
        const c = text[i];
        if (c === close || (c === '}' && close === ')')) {
          i++;
          break;
        }
        if (c === ',') {
          i++;
          continue;
        }
        if (c === '@' && isLineStart(i)) throw new BibSyntaxError(`entry "${key}" is not closed before the next entry`, at);
        FIELD_NAME_SPACED.lastIndex = i;
        FIELD_NAME.lastIndex = i;
        const m = FIELD_NAME_SPACED.exec(text) ?? FIELD_NAME.exec(text);
        if (!m || !/^[ \t\r\n]*=/.test(text.slice(i + m[0].length, i + m[0].length + 200))) {
          // Junk where a field should be (EBSCO pastes web-page scripts into fields): skip to the next
          // line that starts a field or closes the entry, and keep the rest of the entry.
          const junkAt = i;
          if (!skipToFieldLine()) {
            throw new BibSyntaxError(m ? `expected "=" after field name "${m[0]}"` : `expected a field name but found ${describe(c)}`, junkAt);
          }
          warn(`skipped unreadable text in entry "${key}" (from line ${lineAt(junkAt)})`, junkAt);
          continue;
        }
        const name = m[0].toLowerCase().replace(/\s+/g, ' ');
        i += m[0].length;
        skipWs();
        i++;
        skipWs();
        const value = readValue(close, warn);
        if (!fields.has(name)) fields.set(name, value);
        else warn(`field "${name}" appears twice in entry "${key}"; the first is kept`, i);
        skipWs();
        const next = text[i];
        if (next === ',' || next === close) continue;
        MISSING_COMMA_LOOKAHEAD.lastIndex = i;
        if (next !== undefined && MISSING_COMMA_LOOKAHEAD.test(text)) {
          warn(`missing comma after field "${name}" in entry "${key}"; read the next field anyway`, i);
          continue;
        }
        if (i >= n) continue; // reported as not closed at the top of the loop
        throw new BibSyntaxError(`expected "," or "${close}" after field "${name}" but found ${describe(next)}`, i);
      }
      entries.push({ type, key, fields, offset: at, line: entryLine });
      problems.push(...warnings);
    } catch (error) {
      if (!(error instanceof BibSyntaxError)) throw error;
      problems.push(...warnings);
      const where = lineAt(error.offset);
      problems.push({
        file,
        line: where,
        severity: 'error',
        message: `Skipped the @${type} entry at line ${entryLine}: ${error.message}.`,
      });
      resync(Math.max(at + 1, error.offset));
    }
  }
  return { entries, problems };
}

function describe(c: string | undefined): string {
  if (c === undefined) return 'the end of the file';
  if (c === '\n' || c === '\r') return 'a line break';
  return `"${c}"`;
}

const ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  c: '\u0327',
  v: '\u030c',
  u: '\u0306',
  H: '\u030b',
  k: '\u0328',
  r: '\u030a',
  d: '\u0323',
  b: '\u0331',
};

/** Last-resort LaTeX to text when citation-js cannot parse a value: accents, then commands and braces dropped. */
function crudeDelatex(raw: string): string {
  return raw
    .replace(/\\([`'^"~=.]|[cvuHkrdb](?![a-zA-Z]))\s*\{?\s*([a-zA-Z]|\\[ij])?\s*\}?/g, (_m, accent: string, letter: string | undefined) =>
      letter ? letter.replace(/^\\/, '') + ACCENTS[accent] : '',
    )
    .replace(/\\(ss|o|O|ae|AE|oe|OE|aa|AA|l|L|i|j)(?![a-zA-Z])\s*/g, (_m, c: string) => ({ ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ' })[c] ?? c)
    .replace(/\\[a-zA-Z]+\s*/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/[{}$]/g, '')
    .replace(/~/g, ' ')
    .replace(/---?/g, (d) => (d.length === 3 ? '—' : '–'))
    .normalize('NFC');
}

/** Crude name-list parsing to go with crudeDelatex: "Family, Given" or "Given Family", split on "and". */
function crudeNames(raw: string): Array<{ family: string; given?: string }> {
  return crudeDelatex(raw)
    .split(/\s+and\s+/i)
    .map((name) => name.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map((name) => {
      const comma = name.indexOf(',');
      if (comma >= 0) return { family: name.slice(0, comma).trim(), given: name.slice(comma + 1).trim() || undefined };
      const parts = name.split(' ');
      return parts.length > 1 ? { family: parts[parts.length - 1], given: parts.slice(0, -1).join(' ') } : { family: name };
    });
}

/** Fields whose values are paths or identifiers: no LaTeX clean-up beyond citation-js's verbatim reading. */
const VERBATIM_FIELDS = /^(file|pdf|local-url|eprint|isbn|issn|bdsk-.*|.*path.*|mendeley-.*)$/;

/**
 * Leftovers of citation-js's LaTeX conversion: combining accents, discretionary hyphens ("pre\\-Columbian"), \TeX, and
 * commands it does not know (\psqq, \relax), which are dropped rather than shown to screeners.
 */
function tidy(value: unknown): unknown {
  if (typeof value === 'string') {
    // citation-js writes accents as combining marks ("C" + U+0327): compose them ("Ç") for search and display.
    const composed = /[\u0300-\u036f]/.test(value) ? value.normalize('NFC') : value;
    if (!composed.includes('\\')) return composed;
    return composed
      .replace(/\\-/g, '')
      .replace(/\\((?:La)?TeX)(?![a-zA-Z])/g, '$1')
      .replace(/\\hyphen(?![a-zA-Z])\s*/g, '-')
      .replace(/\\([~^])(?![a-zA-Z{])/g, '$1')
      .replace(/\\[a-zA-Z]+\s*/g, '');
  }
  if (Array.isArray(value)) return value.map(tidy);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, tidy(v)]));
  }
  return value;
}

const FIELD_TYPES: Record<string, string[] | undefined> = fieldTypes;
const LATEX_SPECIAL = /[\\{}$~]|--|''|``/;

/**
 * Fast path (most of a large file is abstracts without any LaTeX): a single-valued text field with no
 * LaTeX special characters reads as its text with white space collapsed, exactly as citation-js's
 * String rule would give, at a fraction of the cost.
 */
function isPlainText(raw: string, field: string): boolean {
  const type = FIELD_TYPES[field];
  if (type && (type[0] !== 'field' || type[1] === 'name' || type[1] === 'verbatim' || type[1] === 'uri')) return false;
  return !LATEX_SPECIAL.test(raw);
}

/**
 * citation-js takes a first name that starts with an accent command ("{\\'E}mile Zola") for a lower-case
 * "von" particle. Particles are lower-case by definition, so an upper-case one is a given name.
 */
function fixNames(value: unknown): void {
  if (!Array.isArray(value)) return;
  for (const name of value) {
    if (!name || typeof name !== 'object') continue;
    const n = name as { prefix?: string; given?: string };
    if (n.prefix && /^\p{Lu}/u.test(n.prefix)) {
      n.given = n.given ? `${n.given} ${n.prefix}` : n.prefix;
      delete n.prefix;
    }
  }
}

/** LaTeX that citation-js does not know, rewritten before it reads the value. */
function preLatex(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\(aa|AA)(?![a-zA-Z])\s*/g, (_m, c: string) => (c === 'aa' ? 'å' : 'Å')) : raw;
}

/** URL and DOI fields: verbatim, but Mendeley and others escape "_", "%", "&" and wrap parts in braces. */
function verbatim(raw: string): string {
  return raw.replace(/\\([_%&#$~])/g, '$1').replace(/[{}]/g, '').trim();
}

const NAME_FIELDS = new Set(['author', 'editor', 'translator', 'bookauthor', 'commentator', 'annotator', 'introduction', 'foreword', 'afterword', 'editora', 'editorb', 'editorc', 'holder']);

function valueToText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return cleanText(String(value));
  if (Array.isArray(value)) {
    return cleanText(
      value
        .map((v) => (v && typeof v === 'object' ? cslNameToString(v) ?? '' : String(v)))
        .filter(Boolean)
        .join('; '),
    );
  }
  return cleanText(JSON.stringify(value));
}

/** BibTeX fields the record holds directly; everything else is kept in metadata. */
const CONSUMED = new Set(['title', 'author', 'year', 'date', 'journal', 'journaltitle', 'volume', 'number', 'issue', 'pages', 'doi', 'pmid', 'abstract', 'keywords', 'keyword', 'url']);

function parse(text: string, file: string): ParseResult {
  const lineAt = lineLocator(text);
  const { entries, problems } = scan(text, file, lineAt);

  // Value-parse every entry once (LaTeX -> Unicode); annotations (AUTHOR+an:role) stay raw.
  const parsed = entries.map((entry) => {
    const properties: Record<string, unknown> = {};
    for (const [name, raw] of entry.fields) {
      if (raw.trim() === '') continue;
      if (name.includes('+an')) continue;
      if (name === 'url' || name === 'doi' || name === 'crossref' || name === 'xdata') {
        properties[name] = verbatim(raw);
        continue;
      }
      try {
        const value = isPlainText(raw, name) ? raw.replace(/\s+/g, ' ') : parseLatexValue(preLatex(raw), name);
        if (FIELD_TYPES[name]?.[1] === 'name') fixNames(value);
        properties[name] = VERBATIM_FIELDS.test(name) ? value : tidy(value);
      } catch (error) {
        properties[name] = NAME_FIELDS.has(name) ? crudeNames(raw) : crudeDelatex(raw);
        problems.push({
          file,
          line: entry.line,
          severity: 'warning',
          message: `Field "${name}" of entry "${entry.key}" has LaTeX that could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); kept it with the markup removed.`,
        });
      }
    }
    return { type: entry.type, label: entry.key, properties } satisfies BibLatexEntry;
  });
  const byKey = new Map<string, BibLatexEntry>();
  for (const entry of parsed) if (entry.label && !byKey.has(entry.label.toLowerCase())) byKey.set(entry.label.toLowerCase(), entry);

  const records: ParsedRecord[] = [];
  parsed.forEach((entry, position) => {
    const raw = entries[position];
    // The crossref chain, so citation-js can inherit booktitle, year, publisher, … from the parents.
    const chain: BibLatexEntry[] = [entry];
    let parentKey = typeof entry.properties.crossref === 'string' ? entry.properties.crossref : undefined;
    while (parentKey) {
      const parent = byKey.get(parentKey.toLowerCase());
      if (!parent) {
        problems.push({ file, line: raw.line, severity: 'warning', message: `Entry "${entry.label}" has crossref "${parentKey}", which is not in the file.` });
        break;
      }
      if (chain.includes(parent)) break;
      chain[chain.length - 1].properties.crossref = parent.label;
      chain.push(parent);
      parentKey = typeof parent.properties.crossref === 'string' ? parent.properties.crossref : undefined;
    }
    const provenance = { file, format: 'bibtex' as const, line: raw.line, index: records.length };
    let csl: CslItem | undefined;
    try {
      csl = mapToCsl(chain)[0];
    } catch (error) {
      problems.push({
        file,
        line: raw.line,
        severity: 'warning',
        message: `Entry "${entry.label}" could not be mapped to CSL (${error instanceof Error ? error.message : String(error)}); its main fields were read directly.`,
      });
    }
    const record = csl ? cslItemToRecord(csl, provenance) : directRecord(entry, provenance);
    refine(record, entry, chain);
    if (!record.title) problems.push({ file, line: raw.line, severity: 'warning', message: `Entry "${entry.label}" has no title.` });
    records.push(record);
  });
  return { records, problems };
}

/** Takes the fields citation-js's CSL mapping does not carry the way we want, and builds metadata. */
function refine(record: ParsedRecord, entry: BibLatexEntry, chain: BibLatexEntry[]): void {
  const props = entry.properties;
  const inherited = (name: string): unknown => chain.find((e) => e.properties[name] !== undefined)?.properties[name];
  record.type = mapRecordType(entry.type.replace(/_/g, ' ')); // Mendeley: book_section, web_page
  const title = stripMarkup(valueToText(props.title), { entities: true });
  if (title && !record.title) record.title = title;
  if (!record.year) {
    const year = parseYear(valueToText(inherited('year'))) ?? parseYear(valueToText(inherited('date')));
    if (year) record.year = year;
  }
  const doi = normaliseDoi(valueToText(props.doi));
  if (doi) record.doi = doi;
  const pmid = normalisePmid(valueToText(props.pmid)) ?? (/pubmed/i.test(String(props.eprinttype ?? '')) ? normalisePmid(valueToText(props.eprint)) : undefined);
  if (pmid) record.pmid = pmid;
  const keywordValue = props.keywords ?? props.keyword;
  if (keywordValue !== undefined) {
    const list = Array.isArray(keywordValue) ? keywordValue.map(String) : [String(keywordValue)];
    record.keywords = [...new Set(list.flatMap((k) => splitKeywords(k)))];
  }
  const url = valueToText(props.url);
  if (url) record.url = url;
  if (!record.journal) {
    const journal = stripMarkup(valueToText(inherited('journal') ?? inherited('journaltitle') ?? inherited('booktitle')), { entities: true });
    if (journal) record.journal = journal;
  }
  const metadata: Record<string, string> = {};
  if (entry.label) metadata['bibtex-key'] = entry.label;
  metadata['bibtex-type'] = entry.type;
  const journalFromBooktitle = props.journal === undefined && props.journaltitle === undefined;
  for (const [name, value] of Object.entries(props)) {
    if (CONSUMED.has(name) || (name === 'booktitle' && journalFromBooktitle)) continue;
    const textValue = VERBATIM_FIELDS.test(name) ? valueToText(value) : stripMarkup(valueToText(value));
    if (textValue) metadata[name] = textValue;
  }
  record.metadata = metadata;
}

/** Used only when citation-js's mapping throws: the main fields straight from the parsed values. */
function directRecord(entry: BibLatexEntry, provenance: ParsedRecord['provenance']): ParsedRecord {
  const p = entry.properties;
  const authors = Array.isArray(p.author) ? p.author.map((a) => (a && typeof a === 'object' ? cslNameToString(a) : cleanText(String(a)))).filter((a): a is string => !!a) : [];
  const record: ParsedRecord = {
    title: stripMarkup(valueToText(p.title), { entities: true }) ?? '',
    authors,
    keywords: [],
    type: mapRecordType(entry.type),
    provenance,
  };
  const volume = valueToText(p.volume);
  if (volume) record.volume = volume;
  const issue = valueToText(p.number ?? p.issue);
  if (issue) record.issue = issue;
  const pages = valueToText(p.pages);
  if (pages) record.pages = pages.replace(/(?<!\s)\s*[–—]\s*/g, '-');
  const abstract = stripMarkup(valueToText(p.abstract), { entities: true });
  if (abstract) record.abstract = abstract;
  return record;
}

function sniff(text: string): number {
  const head = text.slice(0, 65536);
  const re = /(?:^|[\r\n])[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]/g;
  let m: RegExpExecArray | null;
  let entries = 0;
  let other = 0;
  while ((m = re.exec(head)) && entries < 3) {
    const type = m[1].toLowerCase();
    if (type === 'comment' || type === 'string' || type === 'preamble') other++;
    else entries++;
  }
  if (entries > 0) return 0.9;
  if (other > 0) return 0.6;
  // A single-line file ("@article{a, title={…}} @book{…}").
  return /^\s*@[ \t]*[A-Za-z]+[ \t]*[{(][^,{}()]*,/.test(head) ? 0.8 : 0;
}

export const bibtexImporter: Importer = {
  format: 'bibtex',
  label: 'BibTeX',
  sniff,
  parse,
};
