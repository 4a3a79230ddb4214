/**
 * CSV, TSV and semicolon-separated exports: Scopus, Web of Science, PubMed, Embase, Lens, OpenAlex,
 * IEEE, Springer, Covidence, Rayyan, Zotero, Cochrane, CINAHL, Google Scholar / Publish or Perish,
 * Abstrackr, ASReview and generic title/abstract tables (including the labelled screening datasets).
 *
 * Rows are split by papaparse (quoting, embedded line breaks, escaped quotes), which we drive row by
 * row so each record knows its line, and restart after an unterminated quote so the rows after it are
 * not lost. Around it we do what papaparse does not: pick the delimiter (comma, semicolon, tab, or an
 * Excel "sep=" line) by where a title-like header row appears and how consistently the rows split,
 * skip preamble lines before the header (Embase's "SEARCH QUERY" block), map the columns of the
 * exporters by name, and keep every other column (labels included) in metadata verbatim.
 */
import Papa from 'papaparse';
import type { ImportProblem, ParsedRecord, RecordType } from '../screening/record';
import { cleanText, lineLocator, mapRecordType, normaliseAuthor, normaliseDoi, normalisePmid, parseYear, splitKeywords, stripMarkup } from './normalise';
import type { Importer, ParseResult } from './types';

type Field = 'title' | 'abstract' | 'authors' | 'year' | 'journal' | 'volume' | 'issue' | 'pages' | 'doi' | 'pmid' | 'keywords' | 'url' | 'type';

/**
 * Column names per field, lower-cased, best first. Within `strong`, a row takes the first non-empty
 * one; `weak` names are used only when the file has none of the strong ones (Scopus's "Source" is the
 * database name, while Cochrane's and Embase's "Source" is the journal).
 */
const COLUMNS: Record<Field, { strong: string[]; weak?: string[] }> = {
  title: {
    strong: ['title', 'article title', 'document title', 'primary_title', 'primary title', 'item title', 'ti', 't1', 'display_name', 'articletitle', 'paper title', 'title of article', 'original title'],
  },
  abstract: {
    strong: ['abstract', 'notes_abstract', 'abstract note', 'ab', 'abstract text', 'abstracts', 'original abstract'],
    weak: ['description', 'summary'],
  },
  authors: {
    strong: ['author full names', 'author full name', 'af', 'authors', 'author', 'author names', 'author/s', 'author(s)', 'au', 'a1', 'first_authors', 'authorships.author.display_name', 'creators', 'creator'],
  },
  year: {
    strong: ['year', 'publication year', 'py', 'publication_year', 'published year', 'pubyear', 'pub year', 'year published', 'date published', 'publication date', 'date of publication', 'publication_date', 'date', 'da', 'y1', 'issued', 'pub_date', 'pubdate'],
  },
  journal: {
    strong: ['source title', 'journal', 'journal title', 'journal/book', 'publication title', 'publication', 'secondary_title', 'secondary title', 'journal name', 'publication name', 'source_title', 'journal_title', 'so', 'jo', 'jf', 't2', 'primary_location.source.display_name', 'container-title', 'periodical'],
    weak: ['source'],
  },
  volume: { strong: ['volume', 'vl', 'journal volume', 'vol'] },
  issue: { strong: ['issue', 'issue number', 'is', 'journal issue', 'issue_number', 'no'], weak: ['number'] },
  pages: { strong: ['pages', 'page', 'pagination', 'pp', 'page range', 'medlinepgn'] },
  doi: { strong: ['doi', 'item doi', 'do', 'di', 'doi link', 'doi_url', 'article doi'] },
  pmid: { strong: ['pmid', 'pubmed id', 'pubmed_id', 'pubmedid', 'pubmed id (pmid)', 'medline pmid', 'pm', 'ids.pmid', 'pubmed'] },
  keywords: { strong: ['author keywords', 'keywords', 'keyword', 'kw', 'de', 'author_keywords', 'manual tags'] },
  url: { strong: ['url', 'link', 'ur', 'external url', 'source urls', 'plink', 'full text link', 'open url link', 'links', 'url link', 'fulltext url', 'pdf_url', 'embase link'] },
  type: { strong: ['document type', 'publication type', 'item type', 'content type', 'type_of_reference', 'type of reference', 'reference type', 'ty', 'type', 'doctype', 'dt', 'pt', 'ref type', 'record type'] },
};

/** First/last page column pairs, used when a row has no "Pages" value. */
const PAGE_PAIRS: Array<[string, string]> = [
  ['page start', 'page end'],
  ['start page', 'end page'],
  ['first page', 'last page'],
  ['start_page', 'end_page'],
  ['bp', 'ep'],
  ['sp', 'ep'],
];

const TITLE_NAMES = new Set(COLUMNS.title.strong);

function normaliseHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

interface Dialect {
  delimiter: string;
  /** Index (in the parsed rows of the sample) of the header row. */
  headerRow: number;
  hasTitle: boolean;
  columns: number;
  /** Share of the sampled data rows that split into as many cells as the header. */
  consistency: number;
  dataRows: number;
  /** Length of a "sep=" line to skip, 0 when there is none. */
  sepLine: number;
}

const DELIMITERS = [',', ';', '\t'];

function isEmptyRow(row: string[]): boolean {
  for (const cell of row) if (cell.trim() !== '') return false;
  return true;
}

/** Tries each delimiter on a sample and keeps the one that gives a title-like header and even rows. */
function detectDialect(text: string): Dialect | undefined {
  let sepLine = 0;
  let forced: string | undefined;
  const sep = /^sep=(.)[ \t]*(\r\n|\r|\n|$)/i.exec(text);
  if (sep) {
    forced = sep[1];
    sepLine = sep[0].length;
  }
  let sample = text.slice(sepLine, sepLine + 65536);
  if (text.length > sepLine + 65536) {
    const cut = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'));
    if (cut > 0) sample = sample.slice(0, cut);
  }
  let best: Dialect | undefined;
  for (const delimiter of forced ? [forced] : DELIMITERS) {
    const rows = Papa.parse<string[]>(sample, { delimiter, preview: 60 }).data;
    let headerRow = rows.findIndex((row, index) => index < 30 && row.some((cell) => TITLE_NAMES.has(normaliseHeader(cell))));
    const hasTitle = headerRow >= 0;
    if (!hasTitle) headerRow = rows.findIndex((row) => !isEmptyRow(row));
    if (headerRow < 0) continue;
    const header = rows[headerRow];
    let columns = header.length;
    while (columns > 1 && header[columns - 1].trim() === '') columns--;
    const data = rows.slice(headerRow + 1).filter((row) => !isEmptyRow(row));
    const even = data.filter((row) => row.length === header.length || (row.length >= columns && row.slice(columns).every((c) => c.trim() === ''))).length;
    const candidate: Dialect = {
      delimiter,
      headerRow,
      hasTitle,
      columns,
      consistency: data.length > 0 ? even / data.length : 1,
      dataRows: data.length,
      sepLine,
    };
    if (!best || better(candidate, best)) best = candidate;
  }
  return best;
}

function better(a: Dialect, b: Dialect): boolean {
  if (a.hasTitle !== b.hasTitle) return a.hasTitle;
  if ((a.columns > 1) !== (b.columns > 1)) return a.columns > 1;
  if (Math.abs(a.consistency - b.consistency) > 0.05) return a.consistency > b.consistency;
  return a.columns > b.columns;
}

/** A header row looks like column names: at least two, short, not code or tagged-format lines. */
function plausibleHeader(cells: string[]): boolean {
  const names = cells.map(normaliseHeader).filter((h) => h !== '');
  return (
    names.length >= 2 &&
    names.every((h) => h.length <= 80 && !/^[={@%<[]/.test(h) && !/^\d+([.,]\d+)?$/.test(h)) &&
    new Set(names).size >= names.length - 1
  );
}

function sniff(text: string): number {
  const dialect = detectDialect(text);
  if (!dialect || dialect.columns < 2) return 0;
  const sample = Papa.parse<string[]>(text.slice(dialect.sepLine, dialect.sepLine + 65536), { delimiter: dialect.delimiter, preview: dialect.headerRow + 1 }).data;
  const header = sample[dialect.headerRow] ?? [];
  if (!plausibleHeader(header)) return 0;
  if (dialect.sepLine > 0) return 0.9;
  if (dialect.hasTitle) {
    if (dialect.consistency >= 0.8) return 0.9;
    return dialect.consistency >= 0.5 ? 0.6 : 0;
  }
  // No title column: a table whose rows all split like its header still is CSV (imported with a problem).
  return dialect.columns >= 3 && dialect.dataRows >= 2 && dialect.consistency === 1 ? 0.3 : 0;
}

/** Where a field's values come from in this file. */
interface ColumnPlan {
  fields: Record<Field, number[]>;
  pagePairs: Array<[number, number]>;
  springerAuthors: boolean;
}

function planColumns(header: string[]): ColumnPlan {
  const names = header.map(normaliseHeader);
  const indexOf = (name: string) => names.indexOf(name);
  const fields = {} as Record<Field, number[]>;
  for (const field of Object.keys(COLUMNS) as Field[]) {
    const { strong, weak } = COLUMNS[field];
    let found = strong.map(indexOf).filter((i) => i >= 0);
    if (found.length === 0 && weak) found = weak.map(indexOf).filter((i) => i >= 0);
    fields[field] = found;
  }
  const pagePairs: Array<[number, number]> = [];
  for (const [start, end] of PAGE_PAIRS) {
    const s = indexOf(start);
    if (s >= 0) pagePairs.push([s, indexOf(end)]);
  }
  // SpringerLink writes all authors of a row run together ("Andy SmithTom Weber").
  const springerAuthors = names.includes('item title') && names.includes('content type');
  return { fields, pagePairs, springerAuthors };
}

/** Unique metadata keys for the header (Abstrackr repeats "labeled_at"). */
function metadataKeys(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((cell, index) => {
    const name = cell.replace(/^\uFEFF/, '').trim() || `column ${index + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

const INITIALS_NAME = /^[\p{L}'’`-]+(?:\s+[\p{L}'’`-]+)*\s+(?:\p{Lu}\.?\s?-?){1,4}\.?$/u;
const GIVEN_ONLY = /^(?:\p{Lu}\.?\s?-?){1,4}\.?$|^\p{Lu}[\p{Ll}'’-]+(?:\s+(?:\p{Lu}\.?|\p{Lu}[\p{Ll}'’-]+))*\.?$/u;

/** ASReview writes lists as Python literals: "['Marx, Karl', 'Lindgren, Astrid']". */
function pythonList(raw: string): string[] | undefined {
  const text = raw.trim();
  if (!/^\[\s*(['"]).*\1\s*\]$/s.test(text)) return undefined;
  const items: string[] = [];
  const re = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) items.push((m[1] ?? m[2]).replace(/\\(.)/g, '$1'));
  return items;
}

/** Splits an author cell on the separators exporters use and writes each as "Family, Given". */
export function splitAuthors(raw: string, options: { runTogether?: boolean } = {}): string[] {
  const listed = pythonList(raw);
  if (listed) return listed.map((a) => normaliseAuthor(a)).filter(Boolean);
  const text = raw.replace(/(?<!\s)\s*\(\d{5,}\)/g, '').replace(/\s+/g, ' ').trim();
  if (!text) return [];
  let parts: string[];
  if (text.includes(';')) parts = text.split(';');
  else if (/\s+and\s+/i.test(text)) parts = text.split(/\s+and\s+/i);
  else if (text.includes('|')) parts = text.split('|');
  else if (text.includes(',')) {
    const pieces = text.split(',').map((p) => p.trim()).filter(Boolean);
    if (pieces.every((p) => INITIALS_NAME.test(p))) parts = pieces; // "Liu R., Adler D.G." / "Griffin DK, Larkin DM"
    else if (pieces.length === 2 && !pieces[0].includes(' ') && GIVEN_ONLY.test(pieces[1])) parts = [text]; // "Smith, John"
    else if (pieces.length % 2 === 0 && pieces.every((p, i) => (i % 2 === 1 ? GIVEN_ONLY.test(p) : !INITIALS_NAME.test(p)))) {
      parts = []; // "Smith, J., Doe, A."
      for (let i = 0; i < pieces.length; i += 2) parts.push(`${pieces[i]}, ${pieces[i + 1]}`);
    } else if (pieces.length === 2 && pieces[0].split(' ').length <= 3 && GIVEN_ONLY.test(pieces[1])) parts = [text];
    else parts = pieces; // "Joseph Rottman, Erran Carmel"
  } else if (options.runTogether && /\p{Ll}\p{Lu}/u.test(text)) {
    parts = text.split(/(?<=\p{Ll})(?=\p{Lu}\p{Ll})/u);
  } else parts = [text];
  return parts
    .map((p) => p.trim())
    .filter((p) => p && p !== 'et al.' && p !== 'et al')
    .map((p) => {
      // "Liu R." / "Adler D.G." / "O'Connor RE.": family name followed by initials with dots.
      const m = /^(.+?)\s+((?:\p{Lu}\.\s?-?)+|\p{Lu}{1,4}\.)$/u.exec(p);
      if (m && !p.includes(',')) return `${m[1]}, ${m[2].trim()}`;
      return normaliseAuthor(p);
    })
    .filter(Boolean);
}

/** Record types as CSV exporters name them ("Article", "Conference Paper", "bookSection", "JOUR"). */
function csvType(raw: string | undefined): RecordType {
  const t = (raw ?? '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_]+/g, ' ')
    .trim()
    .toLowerCase();
  if (!t) return 'journal-article';
  if (/chapter|book section|book part/.test(t)) return 'book-chapter';
  if (/conference|proceeding|congress|meeting/.test(t)) return 'conference-paper';
  if (/thesis|dissertation/.test(t)) return 'thesis';
  if (/preprint|posted content/.test(t)) return 'preprint';
  if (/^(article|review|letter|editorial|note|erratum|short survey|comment|journal|j$)|journal article|article in press|magazine|newspaper/.test(t)) return 'journal-article';
  if (/report/.test(t)) return 'report';
  if (/^book/.test(t)) return 'book';
  if (/data ?set/.test(t)) return 'dataset';
  return mapRecordType(t);
}

const EMBASE_SOURCE = /^(.+?) \(((?:1[5-9]|20)\d\d)\)(?: ([^\s:(]+)(?::([^\s(]+))?)?(?: \(([^)]+)\))?(?:\.|$)/;

interface Row {
  cells: string[];
  offset: number;
}

/**
 * Splits the text into rows with papaparse, row by row so each row keeps its offset. After an
 * unterminated quote (which would swallow the rest of the file) it reports the row and restarts on
 * the next line.
 */
function readRows(text: string, delimiter: string, start: number, onProblem: (offset: number, severity: ImportProblem['severity'], message: string) => void): Row[] {
  const rows: Row[] = [];
  let position = start;
  while (position < text.length) {
    let restartAt = -1;
    let rowStart = position;
    const base = position;
    Papa.parse<string[]>(text.slice(position), {
      delimiter,
      newline: '\n',
      step: (result, parser) => {
        const offset = rowStart;
        rowStart = base + result.meta.cursor;
        const missingQuote = result.errors.find((e) => e.code === 'MissingQuotes');
        if (missingQuote) {
          const lineEnd = text.indexOf('\n', offset);
          onProblem(offset, 'error', 'A quoted field is not closed: this row was skipped and reading went on at the next line.');
          restartAt = lineEnd < 0 ? text.length : lineEnd + 1;
          parser.abort();
          return;
        }
        for (const error of result.errors) onProblem(offset, 'warning', `CSV: ${error.message}.`);
        rows.push({ cells: result.data, offset });
      },
    });
    if (restartAt < 0) break;
    position = restartAt;
  }
  return rows;
}

/**
 * A cell that an exporter protected from running as a spreadsheet formula ("'=SUM(A1)", "'-5", as our
 * own CSV export and OWASP advise) reads as the value it protects.
 */
function unquoteFormulaCell(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 39 && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

function parse(input: string, file: string): ParseResult {
  const records: ParsedRecord[] = [];
  const problems: ImportProblem[] = [];
  // One line-ending convention, so papaparse splits rows the same way in files with mixed endings;
  // line numbers are unchanged (CRLF and bare CR each end one line).
  const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  const lineAt = lineLocator(text);
  const problem = (offset: number, severity: ImportProblem['severity'], message: string) =>
    problems.push({ file, line: offset < 0 ? 0 : lineAt(offset), severity, message });

  const dialect = detectDialect(text);
  if (!dialect) {
    problems.push({ file, line: 0, severity: 'error', message: 'The file has no rows.' });
    return { records, problems };
  }
  const rows = readRows(text, dialect.delimiter, dialect.sepLine, problem);
  // The header: the first row with a title-like column (skipping Embase's search-query preamble).
  let headerIndex = rows.findIndex((row, index) => index < 60 && row.cells.some((cell) => TITLE_NAMES.has(normaliseHeader(cell))));
  if (headerIndex < 0) {
    headerIndex = rows.findIndex((row) => !isEmptyRow(row.cells));
    if (headerIndex < 0) {
      problems.push({ file, line: 0, severity: 'error', message: 'The file has no rows.' });
      return { records, problems };
    }
    problems.push({
      file,
      line: lineAt(rows[headerIndex].offset),
      severity: 'error',
      message:
        'No title column found (expected a header such as "Title", "Article Title", "primary_title" or "TI"); ' +
        'rows were imported without titles and all columns kept as metadata.',
    });
  } else {
    const skipped = rows.slice(0, headerIndex).filter((row) => !isEmptyRow(row.cells)).length;
    if (skipped > 0) problem(rows[0].offset, 'info', `Skipped ${skipped} line(s) before the header row at line ${lineAt(rows[headerIndex].offset)}.`);
  }
  const header = rows[headerIndex].cells;
  const width = header.length;
  const keys = metadataKeys(header);
  const plan = planColumns(header);
  let missingTitles = 0;

  for (let r = headerIndex + 1; r < rows.length; r++) {
    const { offset } = rows[r];
    const cells = rows[r].cells.map(unquoteFormulaCell);
    if (isEmptyRow(cells)) continue;
    const line = lineAt(offset);
    if (cells.length === 1 && width >= 3 && !plan.fields.title.includes(0)) {
      // A line without any delimiter in a wide table is a section heading, not a record (Abstrackr
      // writes "citations that are not yet labeled by anyone" between its two blocks).
      problems.push({ file, line, severity: 'info', message: `Skipped a line that is not a row of the table: "${cells[0].trim().slice(0, 80)}".` });
      continue;
    }
    if (cells.length !== width) {
      const extra = cells.slice(width);
      if (cells.length < width) {
        problems.push({ file, line, severity: 'warning', message: `Row has ${cells.length} field(s) but the header has ${width}; the missing ones were left empty.` });
      } else if (extra.some((c) => c.trim() !== '')) {
        problems.push({ file, line, severity: 'warning', message: `Row has ${cells.length} field(s) but the header has ${width}; the extra ones were kept in metadata.` });
      }
    }
    const used = new Set<number>();
    const first = (field: Field): string | undefined => {
      for (const index of plan.fields[field]) {
        const value = cells[index];
        if (value !== undefined && value.trim() !== '') {
          used.add(index);
          return value;
        }
      }
      return undefined;
    };
    const title = stripMarkup(first('title')) ?? '';
    const authorCell = first('authors');
    const record: ParsedRecord = {
      title,
      authors: authorCell ? splitAuthors(authorCell, { runTogether: plan.springerAuthors }) : [],
      keywords: [],
      type: csvType(first('type')),
      provenance: { file, format: 'csv', line, index: records.length },
    };
    const abstract = stripMarkup(first('abstract'));
    if (abstract) record.abstract = abstract;
    for (const index of plan.fields.year) {
      const year = parseYear(cells[index]);
      if (year !== undefined) {
        record.year = year;
        used.add(index);
        break;
      }
    }
    const journal = cleanText(first('journal'));
    // Embase's "Source" is a whole citation: "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of …".
    const citation = journal ? EMBASE_SOURCE.exec(journal) : null;
    if (citation) {
      record.journal = citation[1].trim();
      record.year ??= Number(citation[2]);
      if (citation[3]) record.volume = citation[3];
      if (citation[4]) record.issue = citation[4];
      if (citation[5]) record.pages = citation[5];
    } else if (journal) record.journal = journal;
    const volume = cleanText(first('volume'));
    if (volume) record.volume = volume;
    const issue = cleanText(first('issue'));
    if (issue) record.issue = issue;
    let pages = cleanText(first('pages')) ?? record.pages;
    if (!pages) {
      for (const [s, e] of plan.pagePairs) {
        const start = cleanText(cells[s]);
        if (!start) continue;
        const end = e >= 0 ? cleanText(cells[e]) : undefined;
        pages = end && end !== start ? `${start}-${end}` : start;
        used.add(s);
        if (e >= 0) used.add(e);
        break;
      }
    }
    if (pages) record.pages = pages;
    for (const index of plan.fields.doi) {
      const doi = normaliseDoi(cells[index]);
      if (doi) {
        record.doi = doi;
        used.add(index);
        break;
      }
    }
    for (const index of plan.fields.pmid) {
      const pmid = normalisePmid(cells[index]);
      if (pmid && pmid !== '0') {
        record.pmid = pmid;
        used.add(index);
        break;
      }
    }
    const keywords = new Set<string>();
    for (const index of plan.fields.keywords) {
      const value = cells[index];
      if (value && value.trim()) {
        used.add(index);
        for (const k of pythonList(value) ?? splitKeywords(value)) if (k.trim()) keywords.add(k.trim());
      }
    }
    record.keywords = [...keywords];
    const url = cleanText(first('url'));
    if (url) {
      record.url = url.split(/\s+/)[0];
      if (!record.doi) record.doi = normaliseDoi(/doi\.org\//i.test(url) ? url : undefined);
      if (!record.doi) delete record.doi;
    }
    // Everything not used above, verbatim (labels, ids, notes, the second of two title columns, …).
    const metadata: Record<string, string> = {};
    cells.forEach((value, index) => {
      if (used.has(index) || value === '' || value.trim() === '') return;
      metadata[index < keys.length ? keys[index] : `column ${index + 1}`] = value;
    });
    if (Object.keys(metadata).length > 0) record.metadata = metadata;
    if (!record.title && dialect.hasTitle) {
      missingTitles++;
      if (missingTitles <= 20) problems.push({ file, line, severity: 'warning', message: 'Row has no title.' });
    }
    records.push(record);
  }
  if (missingTitles > 20) {
    problems.push({ file, line: 0, severity: 'warning', message: `${missingTitles} rows have no title (the first 20 are listed).` });
  }
  return { records, problems };
}

export const csvImporter: Importer = {
  format: 'csv',
  label: 'CSV/TSV',
  sniff,
  parse,
};
