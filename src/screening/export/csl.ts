/**
 * Records as CSL-JSON items (the data model citation-js and Zotero share), the basis of the CSL-JSON
 * export and, through citation-js, of the BibTeX export.
 */
import type { BibRecord, RecordType } from '../record';
import { joinList } from './fields';
import { outcomeLines, type ExportItem, type ScreeningOutcome } from './outcome';

export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
}

export interface CslItem {
  id: string;
  type: string;
  title?: string;
  author?: CslName[];
  issued?: { 'date-parts': [[number]] };
  'container-title'?: string;
  volume?: string;
  issue?: string;
  page?: string;
  DOI?: string;
  PMID?: string;
  URL?: string;
  abstract?: string;
  keyword?: string;
  note?: string;
  /** CSL-JSON's place for data of other programs (CSL 1.0.2): here, the screening outcome. */
  custom?: { screening: ScreeningOutcome };
}

const CSL_TYPE: Record<RecordType, string> = {
  'journal-article': 'article-journal',
  book: 'book',
  'book-chapter': 'chapter',
  'conference-paper': 'paper-conference',
  thesis: 'thesis',
  report: 'report',
  preprint: 'article',
  dataset: 'dataset',
  'web-page': 'webpage',
  'grey-literature': 'document',
  other: 'document',
};

/** "Family, Given" as family/given; a name without a comma (an organisation, "as written") as a literal. */
export function cslName(author: string): CslName {
  const comma = author.indexOf(',');
  if (comma <= 0) return { literal: author };
  const family = author.slice(0, comma).trim();
  const given = author.slice(comma + 1).trim();
  return given ? { family, given } : { family };
}

export function cslItem({ record, screening }: ExportItem, options: { custom?: boolean } = {}): CslItem {
  const item: CslItem = { id: record.id, type: CSL_TYPE[record.type] ?? 'document' };
  if (record.title) item.title = keepReferences(record.title);
  if (record.authors.length > 0) item.author = record.authors.map(cslName);
  if (record.year !== undefined) item.issued = { 'date-parts': [[record.year]] };
  setIf(item, 'container-title', record.journal);
  setIf(item, 'volume', record.volume);
  setIf(item, 'issue', record.issue);
  setIf(item, 'page', record.pages);
  setIf(item, 'DOI', record.doi);
  setIf(item, 'PMID', record.pmid);
  setIf(item, 'URL', record.url);
  setIf(item, 'abstract', record.abstract);
  if (record.keywords.length > 0) item.keyword = joinList(record.keywords);
  if (screening) {
    item.note = outcomeLines(screening).join('\n');
    if (options.custom) item.custom = { screening };
  }
  return item;
}

function setIf<K extends keyof CslItem>(item: CslItem, key: K, value: CslItem[K] | undefined): void {
  if (value !== undefined && value !== '') item[key] = typeof value === 'string' && TEXT_FIELDS.has(key) ? (keepReferences(value) as CslItem[K]) : value;
}

const TEXT_FIELDS = new Set<keyof CslItem>(['title', 'container-title', 'abstract']);

/**
 * CSL-JSON readers (ours, citeproc) decode HTML character references in text; a record whose text holds
 * one literally ("&gt;40,000" as its source wrote it) keeps it by escaping its ampersand.
 */
export function keepReferences(text: string): string {
  return text.replace(/&(?=#\d{1,7};|#x[0-9a-f]{1,6};|[a-z]{2,8};)/gi, '&amp;');
}

export function cslJson(items: readonly ExportItem[]): string {
  const keys = citationKeys(items);
  return `${JSON.stringify(items.map((item, index) => ({ 'citation-key': keys[index], ...cslItem(item, { custom: true }) })), null, 2)}\n`;
}

/** A unique citation key per item, the same in the BibTeX and CSL-JSON exports. */
export function citationKeys(items: readonly ExportItem[]): string[] {
  const taken = new Set<string>();
  return items.map(({ record }) => uniqueLabel(baseLabel(record), taken));
}

/** Family name, year and first title word, ASCII letters and digits only ("Muller2001effect"). */
function baseLabel(record: BibRecord): string {
  const ascii = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9\s-]/g, '')
      .trim();
  const first = record.authors[0] ?? '';
  const family = ascii(first.includes(',') ? first.slice(0, first.indexOf(',')) : (first.split(/\s+/).pop() ?? '')).replace(/[\s-]+/g, '');
  const titleWord =
    ascii(record.title)
      .split(/[\s-]+/)
      .find((word) => word.length > 3 && !/^(the|and|with|from|this|that)$/i.test(word)) ?? '';
  const label = `${family}${record.year ?? ''}${titleWord.toLowerCase()}`;
  return label || 'record';
}

function uniqueLabel(base: string, taken: Set<string>): string {
  let label = base;
  for (let n = 1; taken.has(label); n++) label = `${base}${suffix(n)}`;
  taken.add(label);
  return label;
}

/** a, b, …, z, aa, ab, … */
function suffix(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + ((k - 1) % 26)) + out;
  return out;
}


