/**
 * CSL-JSON (Zotero, Better BibTeX, citation-js, Mendeley, pandoc): an array of CSL items, a single
 * item, or `{ "items": [...] }`.
 *
 * Written by hand rather than through citation-js: the input is already JSON, and citation-js's
 * `@csl/list+object` parser gives no per-item errors or positions. We parse with JSON.parse; when that
 * fails (truncated or hand-edited files) we cut the top-level array into its elements with a small
 * string-aware scanner and parse them one by one, so one broken item does not lose the rest. The same
 * scanner gives each item's line. `cslItemToRecord` is shared with the BibTeX importer, which maps
 * BibTeX to CSL through citation-js.
 */
import type { ImportProblem, ParsedRecord, Provenance } from '../screening/record';
import { cleanText, lineLocator, mapRecordType, normaliseDoi, normalisePmid, parseYear, splitKeywords, stripMarkup } from './normalise';
import type { Importer, ParseResult } from './types';

/** A CSL name as exports write it. */
export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
  suffix?: string;
  'non-dropping-particle'?: string;
  'dropping-particle'?: string;
}

/** A CSL date: date-parts, or a raw/literal string, possibly with a season. */
export interface CslDate {
  'date-parts'?: unknown[][];
  raw?: string;
  literal?: string;
  season?: string | number;
}

export type CslItem = Record<string, unknown>;

/** CSL variables the record model holds; everything else goes to metadata. */
const MAPPED = new Set([
  'title',
  'author',
  'issued',
  'container-title',
  'volume',
  'issue',
  'page',
  'DOI',
  'PMID',
  'abstract',
  'keyword',
  'URL',
  'type',
]);

/** Writes a CSL name as "Family, Given" (particles kept with the family or given name as CSL says). */
export function cslNameToString(name: unknown): string | undefined {
  if (typeof name === 'string') return cleanText(name);
  if (!name || typeof name !== 'object') return undefined;
  const n = name as CslName;
  if (n.literal) return cleanText(String(n.literal));
  const family = cleanText([n['non-dropping-particle'], n.family].filter(Boolean).join(' '));
  const given = cleanText([n.given, n['dropping-particle']].filter(Boolean).join(' '));
  if (!family) return given;
  let out = given ? `${family}, ${given}` : family;
  if (n.suffix) out += `, ${String(n.suffix).trim()}`;
  return out;
}

/** The publication year of a CSL date (date-parts, raw or literal). */
export function cslYear(date: unknown): number | undefined {
  if (date === undefined || date === null) return undefined;
  if (typeof date === 'string' || typeof date === 'number') return parseYear(date);
  if (typeof date !== 'object') return undefined;
  const d = date as CslDate;
  const parts = d['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0]) && parts[0].length > 0) {
    // date-parts years are integers (as numbers or strings); negative ones are BC, not "-2012" = 2012.
    const raw = String(parts[0][0]).trim();
    if (/^-?\d+$/.test(raw)) {
      const year = Number(raw);
      return year >= 1000 && year <= 2200 ? year : undefined;
    }
  }
  return parseYear(d.raw) ?? parseYear(d.literal);
}

function scalar(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return cleanText(value.map((v) => scalar(v) ?? '').filter(Boolean).join('; '));
  return undefined;
}

/** A metadata value for any CSL variable: names as "Family, Given; …", dates as their raw form. */
function metadataValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) {
    return cleanText(value.map((v) => cslNameToString(v) ?? '').filter(Boolean).join('; '));
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const d = value as CslDate;
    if (d['date-parts'] || d.raw || d.literal) {
      if (d.raw) return cleanText(d.raw);
      if (d.literal) return cleanText(d.literal);
      return (d['date-parts'] ?? []).map((p) => (Array.isArray(p) ? p.join('-') : String(p))).join('/');
    }
    return JSON.stringify(value);
  }
  return scalar(value);
}

/** Maps one CSL item to our record. `extraMetadata` is merged into metadata (e.g. the BibTeX key). */
export function cslItemToRecord(item: CslItem, provenance: Provenance, extraMetadata?: Record<string, string>): ParsedRecord {
  const authorsRaw = Array.isArray(item.author) ? item.author : [];
  const authors = authorsRaw.map((a) => cslNameToString(a)).filter((a): a is string => !!a);
  const keywordRaw = item.keyword;
  const keywords = Array.isArray(keywordRaw)
    ? keywordRaw.flatMap((k) => splitKeywords(String(k)))
    : typeof keywordRaw === 'string'
      ? splitKeywords(keywordRaw)
      : [];
  const record: ParsedRecord = {
    title: stripMarkup(scalar(item.title), { entities: true }) ?? '',
    authors,
    keywords,
    type: mapRecordType(typeof item.type === 'string' ? item.type : undefined),
    provenance,
  };
  const year = cslYear(item.issued);
  if (year !== undefined) record.year = year;
  const journal = stripMarkup(scalar(item['container-title']), { entities: true });
  if (journal) record.journal = journal;
  const volume = scalar(item.volume);
  if (volume) record.volume = volume;
  const issue = scalar(item.issue);
  if (issue) record.issue = issue;
  const pages = scalar(item.page);
  if (pages) record.pages = pages;
  const doi = normaliseDoi(scalar(item.DOI));
  if (doi) record.doi = doi;
  const pmid = normalisePmid(scalar(item.PMID));
  if (pmid) record.pmid = pmid;
  const abstract = stripMarkup(scalar(item.abstract), { entities: true });
  if (abstract) record.abstract = abstract;
  const url = scalar(item.URL);
  if (url) record.url = url;

  const metadata: Record<string, string> = { ...(extraMetadata ?? {}) };
  for (const [key, value] of Object.entries(item)) {
    if (MAPPED.has(key) || key === 'id' || key === 'citation-key' || key.startsWith('_')) continue;
    const text = metadataValue(value);
    if (text) metadata[key] = text;
  }
  if (item.id !== undefined && item.id !== null && metadata.id === undefined) metadata.id = String(item.id);
  if (typeof item['citation-key'] === 'string') metadata['citation-key'] = item['citation-key'];
  if (Object.keys(metadata).length > 0) record.metadata = metadata;
  return record;
}

/** True when a parsed JSON value looks like a CSL item. */
function looksLikeCslItem(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const item = value as CslItem;
  const cslKeys = ['title', 'author', 'issued', 'container-title', 'DOI', 'URL', 'citation-key', 'editor', 'page', 'publisher'];
  return (typeof item.type === 'string' || typeof item.id !== 'undefined') && cslKeys.some((k) => k in item);
}

export interface JsonElement {
  /** Offset of the element's first character. */
  start: number;
  /** Offset just past its last character. */
  end: number;
}

/**
 * Finds the elements of the array that holds the items (the root array, or the array under a root
 * object's "items" key) without parsing them: a scanner that knows strings, escapes and nesting. An
 * element cut off by the end of the text gets `end` = text length.
 */
export function scanJsonArrayElements(text: string): JsonElement[] {
  let i = 0;
  const n = text.length;
  const skipWs = () => {
    while (i < n && /\s/.test(text[i])) i++;
  };
  skipWs();
  if (text[i] === '{') {
    const m = /"items"\s*:\s*\[/.exec(text);
    if (!m) return [];
    i = m.index + m[0].length;
  } else if (text[i] === '[') {
    i++;
  } else {
    return [];
  }
  const elements: JsonElement[] = [];
  while (i < n) {
    skipWs();
    if (i >= n || text[i] === ']') break;
    if (text[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (c === ',' && depth === 0) break;
    }
    if (i === start) {
      i++; // a stray closing bracket: skip it, always moving on
      continue;
    }
    elements.push({ start, end: Math.min(i, n) });
  }
  return elements;
}

function positionOfJsonError(error: unknown): number | undefined {
  const m = /position (\d+)/.exec(error instanceof Error ? error.message : String(error));
  return m ? Number(m[1]) : undefined;
}

function parse(text: string, file: string): ParseResult {
  const records: ParsedRecord[] = [];
  const problems: ImportProblem[] = [];
  const lineAt = lineLocator(text);
  const elements = scanJsonArrayElements(text);
  const lineOfItem = (index: number) => (elements[index] ? lineAt(elements[index].start) : 1);

  let items: unknown[] | undefined;
  let itemLines: number[] | undefined;
  try {
    const root: unknown = JSON.parse(text);
    if (Array.isArray(root)) items = root;
    else if (root && typeof root === 'object' && Array.isArray((root as { items?: unknown }).items)) items = (root as { items: unknown[] }).items;
    else if (root && typeof root === 'object') items = [root];
    else {
      problems.push({ file, line: 1, severity: 'error', message: 'The JSON file holds no CSL items (expected an array of objects).' });
      return { records, problems };
    }
    if (elements.length !== items.length) itemLines = items.map(() => 1);
  } catch (error) {
    const position = positionOfJsonError(error);
    const where = position !== undefined ? lineAt(position) : 0;
    if (elements.length === 0) {
      problems.push({ file, line: where, severity: 'error', message: `The file is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
      return { records, problems };
    }
    problems.push({
      file,
      line: where,
      severity: 'error',
      message: `The file is not valid JSON (${error instanceof Error ? error.message : String(error)}); items were read one by one and broken ones skipped.`,
    });
    items = [];
    itemLines = [];
    for (const element of elements) {
      const line = lineAt(element.start);
      try {
        items.push(JSON.parse(text.slice(element.start, element.end)));
        itemLines.push(line);
      } catch (itemError) {
        problems.push({
          file,
          line,
          severity: 'error',
          message: `CSL item skipped: it is not valid JSON (${itemError instanceof Error ? itemError.message : String(itemError)}).`,
        });
      }
    }
  }

  items.forEach((item, position) => {
    const line = itemLines ? itemLines[position] : lineOfItem(position);
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ file, line, severity: 'warning', message: 'Skipped an array element that is not a CSL item (not an object).' });
      return;
    }
    const index = records.length;
    const record = cslItemToRecord(item as CslItem, { file, format: 'csl-json', line, index });
    if (!record.title) problems.push({ file, line, severity: 'warning', message: 'CSL item has no title.' });
    records.push(record);
  });
  return { records, problems };
}

function sniff(text: string): number {
  const head = text.slice(0, 65536).trimStart();
  if (head[0] !== '[' && head[0] !== '{') return 0;
  // A complete small file: check the items themselves.
  if (text.length <= 2_000_000) {
    try {
      const root: unknown = JSON.parse(text);
      const items = Array.isArray(root)
        ? root
        : root && typeof root === 'object' && Array.isArray((root as { items?: unknown }).items)
          ? (root as { items: unknown[] }).items
          : [root];
      const sample = items.slice(0, 20);
      if (sample.length === 0) return 0;
      const csl = sample.filter(looksLikeCslItem).length;
      return csl / sample.length >= 0.5 ? 0.9 : 0;
    } catch {
      // fall through to the textual check (truncated or broken JSON)
    }
  }
  const hasType = /"type"\s*:\s*"[a-z-_]+"/.test(head);
  const cslKeys = [/"issued"\s*:/, /"container-title"\s*:/, /"citation-key"\s*:/, /"family"\s*:/, /"DOI"\s*:/, /"URL"\s*:/, /"title"\s*:/];
  const hits = cslKeys.filter((re) => re.test(head)).length;
  return hasType && hits >= 2 ? 0.7 : 0;
}

export const cslJsonImporter: Importer = {
  format: 'csl-json',
  label: 'CSL-JSON',
  sniff,
  parse,
};
