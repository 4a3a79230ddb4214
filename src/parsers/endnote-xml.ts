/**
 * EndNote XML (`<xml><records><record>…`), as written by EndNote X–21, Bookends, Zotero and Reflib.
 *
 * XML is read by fast-xml-parser, one record at a time: we first cut the text into `<record>` elements
 * with a scan for their start and end tags, then parse each element on its own (in preserve-order mode,
 * so rich text split over several `<style>` runs reads back in order). A malformed record is reported
 * with its line and the others still import; a file cut off mid-record still yields every complete
 * record before the cut. The element helpers here are shared with the PubMed XML importer.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ImportProblem, ParsedRecord, RecordType } from '../screening/record';
import { cleanText, lineLocator, mapRecordType, normaliseAuthor, normaliseDoi, normalisePmid, parseYear, stripMarkup } from './normalise';
import type { Importer, ParseResult } from './types';

// ---------------------------------------------------------------------------------------------
// Shared XML helpers (preserve-order nodes of fast-xml-parser)

/** A node as fast-xml-parser returns it with `preserveOrder`: `{ tag: children, ':@': attributes }` or `{ '#text': text }`. */
export type XNode = Record<string, unknown>;

export interface XmlChunk {
  /** Offset of the element's `<`. */
  start: number;
  /** Offset just past its end tag (or where it was cut off). */
  end: number;
  /** False when the end tag is missing (truncated file, or the next element starts first). */
  complete: boolean;
  /** The element's name as matched. */
  name: string;
}

/**
 * Finds the elements named `names` in document order, without nesting (records do not nest). Each
 * element ends at its end tag; if another of the elements starts first, or the text ends, the element
 * is marked incomplete.
 */
export function findElements(text: string, names: string[]): XmlChunk[] {
  const alternatives = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const open = new RegExp(`<(${alternatives})(?=[\\s/>])`, 'g');
  const chunks: XmlChunk[] = [];
  let match: RegExpExecArray | null;
  let starts: Array<{ index: number; name: string }> = [];
  while ((match = open.exec(text))) starts.push({ index: match.index, name: match[1] });
  const comments = commentRanges(text);
  if (comments.length > 0) starts = starts.filter((s) => !comments.some(([from, to]) => s.index > from && s.index < to));
  for (let k = 0; k < starts.length; k++) {
    const { index, name } = starts[k];
    const nextStart = k + 1 < starts.length ? starts[k + 1].index : text.length;
    const tagEnd = text.indexOf('>', index);
    if (tagEnd < 0) {
      chunks.push({ start: index, end: text.length, complete: false, name });
      continue;
    }
    if (text[tagEnd - 1] === '/') {
      chunks.push({ start: index, end: tagEnd + 1, complete: true, name });
      continue;
    }
    const closeRe = new RegExp(`</${name}\\s*>`, 'g');
    closeRe.lastIndex = tagEnd;
    const close = closeRe.exec(text);
    if (close && close.index < nextStart) chunks.push({ start: index, end: close.index + close[0].length, complete: true, name });
    else chunks.push({ start: index, end: nextStart, complete: false, name });
  }
  return chunks;
}

/** Offsets of XML comments and CDATA sections, where element-looking text is not markup. */
function commentRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const re = /<!--|<!\[CDATA\[/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const close = text.indexOf(m[0] === '<!--' ? '-->' : ']]>', m.index + m[0].length);
    const end = close < 0 ? text.length : close;
    ranges.push([m.index, end]);
    re.lastIndex = end;
  }
  return ranges;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

export interface ParsedChunk {
  /** The element's node, or undefined when it could not be parsed at all. */
  node?: XNode;
  /** Validation problem (message and 1-based line within the chunk), if any. */
  error?: { message: string; line: number };
}

/** Parses one element's XML; never throws. Malformed XML is still parsed leniently when possible. */
export function parseChunk(xml: string): ParsedChunk {
  let error: ParsedChunk['error'];
  const valid = XMLValidator.validate(xml);
  if (valid !== true) error = { message: valid.err.msg, line: valid.err.line };
  try {
    const nodes = parser.parse(xml) as XNode[];
    const node = nodes.find((n) => tagOf(n) !== undefined);
    return { node, error };
  } catch (e) {
    return { error: error ?? { message: e instanceof Error ? e.message : String(e), line: 1 } };
  }
}

export function tagOf(node: XNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@' && key !== '#text') return key;
  return undefined;
}

export function childrenOf(node: XNode | undefined): XNode[] {
  if (!node) return [];
  const tag = tagOf(node);
  const kids = tag ? node[tag] : undefined;
  return Array.isArray(kids) ? (kids as XNode[]) : [];
}

/** Local name (without namespace prefix), lower-cased when `ci`. */
function local(tag: string): string {
  const colon = tag.indexOf(':');
  return colon >= 0 ? tag.slice(colon + 1) : tag;
}

/** Direct children named `name`. */
export function all(node: XNode | undefined, name: string): XNode[] {
  return childrenOf(node).filter((n) => {
    const tag = tagOf(n);
    return tag !== undefined && local(tag) === name;
  });
}

/** The first element along a path of child names ("titles/title"). */
export function child(node: XNode | undefined, path: string): XNode | undefined {
  let current = node;
  for (const step of path.split('/')) {
    current = all(current, step)[0];
    if (!current) return undefined;
  }
  return current;
}

/** All elements at the end of a path ("contributors/authors/author"). */
export function pathAll(node: XNode | undefined, path: string): XNode[] {
  const steps = path.split('/');
  let level: XNode[] = node ? [node] : [];
  for (const step of steps) level = level.flatMap((n) => all(n, step));
  return level;
}

export function attr(node: XNode | undefined, name: string): string | undefined {
  const attrs = node?.[':@'] as Record<string, unknown> | undefined;
  const value = attrs?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** All text below a node, in document order (rich-text runs, <i>, MathML, … flattened). */
export function textOf(node: XNode | undefined): string {
  if (!node) return '';
  if (typeof node['#text'] === 'string' || typeof node['#text'] === 'number') return String(node['#text']);
  let out = '';
  for (const kid of childrenOf(node)) {
    const tag = tagOf(kid);
    if (tag === 'br') out += ' ';
    else out += textOf(kid);
  }
  return out;
}

/** Cleaned text of the first element along a path, undefined when empty. */
export function textAt(node: XNode | undefined, path: string): string | undefined {
  return stripMarkup(textOf(child(node, path)));
}

/** Reads a file of records: cuts it into elements, parses each, and hands the good ones to `map`. */
export function readXmlRecords(
  text: string,
  file: string,
  elementNames: string[],
  what: string,
  map: (node: XNode, line: number, index: number) => ParsedRecord,
): ParseResult {
  const records: ParsedRecord[] = [];
  const problems: ImportProblem[] = [];
  const lineAt = lineLocator(text);
  const chunks = findElements(text, elementNames);
  if (chunks.length === 0) {
    problems.push({ file, line: 0, severity: 'error', message: `No ${what} elements found in the XML.` });
    return { records, problems };
  }
  for (const chunk of chunks) {
    const line = lineAt(chunk.start);
    if (!chunk.complete) {
      problems.push({
        file,
        line,
        severity: 'error',
        message: `The <${chunk.name}> starting here has no closing tag (file truncated or malformed); it was skipped.`,
      });
      continue;
    }
    const { node, error } = parseChunk(text.slice(chunk.start, chunk.end));
    if (!node) {
      problems.push({ file, line, severity: 'error', message: `The <${chunk.name}> starting here is not readable XML (${error?.message ?? 'unknown error'}); it was skipped.` });
      continue;
    }
    let record: ParsedRecord;
    try {
      record = map(node, line, records.length);
    } catch (e) {
      problems.push({ file, line, severity: 'error', message: `The <${chunk.name}> starting here could not be read: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    if (error) {
      problems.push({
        file,
        line: line + Math.max(0, error.line - 1),
        severity: 'warning',
        message: `Malformed XML in this <${chunk.name}> (${error.message}); read what could be read.`,
      });
    }
    if (!record.title) problems.push({ file, line, severity: 'warning', message: `<${chunk.name}> has no title.` });
    records.push(record);
  }
  return { records, problems };
}

// ---------------------------------------------------------------------------------------------
// EndNote

/** EndNote's numeric reference types, for files whose <ref-type> has no name attribute. */
const REF_TYPE_NUMBERS: Record<string, RecordType> = {
  '0': 'journal-article',
  '17': 'journal-article',
  '19': 'journal-article',
  '23': 'journal-article',
  '5': 'book-chapter',
  '6': 'book',
  '28': 'book',
  '10': 'report',
  '32': 'thesis',
  '47': 'conference-paper',
  '10003': 'conference-paper',
  '12': 'web-page',
  '59': 'dataset',
  '13': 'other',
};

function endnoteType(node: XNode | undefined): RecordType {
  const name = (attr(node, 'name') ?? '').toLowerCase();
  if (name) {
    if (/electronic article|journal/.test(name)) return 'journal-article';
    if (/book section|chapter/.test(name)) return 'book-chapter';
    if (/edited book|electronic book|^book/.test(name)) return 'book';
    if (/conference/.test(name)) return 'conference-paper';
    return mapRecordType(name);
  }
  return REF_TYPE_NUMBERS[textOf(node).trim()] ?? 'other';
}

/** Elements (and children of these containers) that the record model holds. */
const CONSUMED = new Set([
  'ref-type',
  'contributors/authors',
  'titles/title',
  'pages',
  'volume',
  'number',
  'issue',
  'dates/year',
  'electronic-resource-num',
  'abstract',
  'keywords',
  'urls/related-urls',
]);
const CONTAINERS = new Set(['contributors', 'titles', 'periodical', 'alt-periodical', 'dates', 'urls']);

function endnoteRecord(record: XNode, file: string, line: number, index: number): ParsedRecord {
  const authors = pathAll(record, 'contributors/authors/author')
    .map((a) => cleanText(textOf(a)))
    .filter((a): a is string => !!a)
    .map((a) => normaliseAuthor(a));
  const keywords = pathAll(record, 'keywords/keyword')
    .flatMap((k) => textOf(k).split(/[\r\n;]+/))
    .map((k) => k.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const result: ParsedRecord = {
    title: textAt(record, 'titles/title') ?? '',
    authors,
    keywords: [...new Set(keywords)],
    type: endnoteType(child(record, 'ref-type')),
    provenance: { file, format: 'endnote-xml', line, index },
  };
  const consumed = new Set(CONSUMED);
  const journalPaths = ['periodical/full-title', 'titles/secondary-title', 'periodical/abbr-1', 'alt-periodical/full-title', 'titles/alt-title'];
  for (const path of journalPaths) {
    const journal = textAt(record, path);
    if (journal) {
      result.journal = journal;
      consumed.add(path);
      break;
    }
  }
  const year = parseYear(textAt(record, 'dates/year')) ?? parseYear(textAt(record, 'dates/pub-dates/date'));
  if (year) result.year = year;
  const volume = textAt(record, 'volume');
  if (volume) result.volume = volume;
  const issue = textAt(record, 'issue') ?? textAt(record, 'number');
  if (issue) result.issue = issue;
  const pages = textAt(record, 'pages');
  if (pages) result.pages = pages;
  const abstract = textAt(record, 'abstract');
  if (abstract) result.abstract = abstract;
  const doi = normaliseDoi(textAt(record, 'electronic-resource-num'));
  if (doi) result.doi = doi;
  const database = `${textAt(record, 'remote-database-name') ?? ''} ${textAt(record, 'remote-database-provider') ?? ''}`;
  const accession = textAt(record, 'accession-num');
  if (accession && /pubmed|medline|nlm/i.test(database) && /^\s*\d{1,9}\s*$/.test(accession)) {
    result.pmid = normalisePmid(accession);
    consumed.add('accession-num');
  }
  const urls = pathAll(record, 'urls/related-urls/url')
    .concat(pathAll(record, 'urls/web-urls/url'))
    .map((u) => cleanText(textOf(u)))
    .filter((u): u is string => !!u);
  if (urls.length > 0) {
    result.url = urls[0];
    consumed.add('urls/web-urls');
  }
  if (!result.doi) {
    const fromUrl = urls.map((u) => (/doi\.org\//i.test(u) ? normaliseDoi(u) : undefined)).find(Boolean);
    if (fromUrl) result.doi = fromUrl;
  }

  // Everything else, by element name ("auth-address", "label", "notes", "titles/alt-title", …).
  const metadata: Record<string, string> = {};
  for (const element of childrenOf(record)) {
    const tag = tagOf(element);
    if (!tag || consumed.has(tag)) continue;
    if (CONTAINERS.has(tag)) {
      for (const inner of childrenOf(element)) {
        const innerTag = tagOf(inner);
        if (!innerTag || consumed.has(`${tag}/${innerTag}`)) continue;
        const parts = childrenOf(inner).filter((n) => tagOf(n) !== undefined && tagOf(n) !== 'style');
        const value = parts.length > 1 ? stripMarkup(parts.map((n) => cleanText(textOf(n)) ?? '').filter(Boolean).join('; ')) : stripMarkup(textOf(inner));
        if (value) metadata[`${tag}/${innerTag}`] = metadata[`${tag}/${innerTag}`] ? `${metadata[`${tag}/${innerTag}`]}; ${value}` : value;
      }
      continue;
    }
    const value = stripMarkup(textOf(element));
    if (value) metadata[tag] = metadata[tag] ? `${metadata[tag]}; ${value}` : value;
  }
  if (Object.keys(metadata).length > 0) result.metadata = metadata;
  return result;
}

function parse(text: string, file: string): ParseResult {
  return readXmlRecords(text, file, ['record'], '<record>', (node, line, index) => endnoteRecord(node, file, line, index));
}

function sniff(text: string): number {
  const head = text.slice(0, 65536);
  if (/<xml>\s*<records>/.test(head)) return 0.95;
  if (/<records>/.test(head) && /<record>/.test(head) && /<(ref-type|titles|contributors|rec-number)[\s>]/.test(head)) return 0.9;
  return 0;
}

export const endnoteXmlImporter: Importer = {
  format: 'endnote-xml',
  label: 'EndNote XML',
  sniff,
  parse,
};
