/**
 * How a record is named in lists (tree, search results, pickers) and where its identifiers link
 * to. Pure string work, shared by the extension and the reader's webview.
 */
import { familyName } from './record';

export interface DisplayRecord {
  title: string;
  authors: readonly string[];
  year?: number;
  doi?: string;
  pmid?: string;
  url?: string;
}

const MAX_TITLE = 300;

/** The title on one line (white space collapsed, long titles cut), or a stand-in when empty. */
export function displayTitle(record: Pick<DisplayRecord, 'title'>, untitled = '(untitled record)'): string {
  const title = record.title.replace(/\s+/g, ' ').trim();
  if (!title) return untitled;
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}

/** "Kohn et al. · 2022", "Storm & Fortuna · 2020", "2019", or "". */
export function authorYear(record: Pick<DisplayRecord, 'authors' | 'year'>): string {
  const names = record.authors.map((author) => familyName(author) || author.trim()).filter(Boolean);
  let who = '';
  if (names.length === 1) who = names[0];
  else if (names.length === 2) who = `${names[0]} & ${names[1]}`;
  else if (names.length > 2) who = `${names[0]} et al.`;
  return [who, record.year !== undefined ? String(record.year) : ''].filter(Boolean).join(' · ');
}

/**
 * A list row's description: author and year, and for a record without a title also what identifies
 * it (its PMID, else its DOI, else the file and line it came from), so an untitled row can still be
 * told apart and looked up.
 */
export function listDescription(record: Pick<DisplayRecord, 'title' | 'authors' | 'year' | 'doi' | 'pmid'> & { provenance?: { file: string; line: number } }): string {
  const parts = [authorYear(record)];
  if (!record.title.trim()) {
    const pmid = record.pmid?.trim();
    const doi = record.doi?.trim();
    if (pmid) parts.push(`PMID ${pmid}`);
    else if (doi) parts.push(`DOI ${doi}`);
    else if (record.provenance) parts.push(`${record.provenance.file}:${record.provenance.line}`);
  }
  return parts.filter(Boolean).join(' · ');
}

/** The start of a text, cut at a word boundary, with an ellipsis when cut. */
export function textStart(text: string | undefined, length: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.lastIndexOf(' ', length);
  return `${flat.slice(0, cut > length * 0.6 ? cut : length)}…`;
}

/** https://doi.org/… for a DOI (path characters kept, the rest percent-encoded), or undefined. */
export function doiUrl(doi: string | undefined): string | undefined {
  const clean = doi?.trim().replace(/^(https?:\/\/(dx\.)?doi\.org\/|doi:\s*)/i, '');
  if (!clean || !/^10\.\S+\/\S+$/.test(clean)) return undefined;
  return `https://doi.org/${clean.split('/').map(encodeURIComponent).join('/')}`;
}

/** https://pubmed.ncbi.nlm.nih.gov/<pmid>/ for a numeric PMID, or undefined. */
export function pubmedUrl(pmid: string | undefined): string | undefined {
  const clean = pmid?.trim();
  return clean && /^\d{1,12}$/.test(clean) ? `https://pubmed.ncbi.nlm.nih.gov/${clean}/` : undefined;
}

/** The record's own URL when it is http(s), or undefined (javascript:, file:, data: … never). */
export function webUrl(url: string | undefined): string | undefined {
  const clean = url?.trim();
  if (!clean || !/^https?:\/\/[^\s]+$/i.test(clean)) return undefined;
  try {
    const parsed = new URL(clean);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A snippet of `text` around the first of `spans` ([start, end) offsets), about `width` characters,
 * with the matched words marked «like this» (list widgets cannot highlight on their own).
 */
export function snippetAround(text: string, spans: readonly (readonly [number, number])[], width = 160): string {
  if (!text) return '';
  if (spans.length === 0) return textStart(text, width);
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const first = sorted[0];
  let start = Math.max(0, first[0] - Math.floor(width / 3));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < first[0]) start = space + 1;
  }
  let end = Math.min(text.length, start + width);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > first[1]) end = space;
  }
  let out = '';
  let at = start;
  for (const [s, e] of sorted) {
    if (e <= at || s >= end) continue;
    const from = Math.max(s, at);
    const to = Math.min(e, end);
    out += `${text.slice(at, from)}«${text.slice(from, to)}»`;
    at = to;
  }
  out += text.slice(at, end);
  return `${start > 0 ? '…' : ''}${out.replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}
