/**
 * CORD-19 text dumps: one line of header, `key: … authors: A; B title: … date: … journal: … DOI: … sha: …
 * doc_id: … cord_uid: …`, then the abstract, "Keywords: …", and the body of the paper (kept as full text).
 * The header is read by its known keys, in order, so a title holding a colon is not cut.
 */
import type { ParsedRecord } from '../screening/record';
import { cleanText, normaliseDoi, parseYear } from './normalise';
import { ProblemLog, RecordSink, authorList, keywordList, makeRecord } from './tagged';
import type { Importer, ParseResult } from './types';

const KEYS = ['key', 'authors', 'title', 'date', 'journal', 'DOI', 'sha', 'doc_id', 'cord_uid'] as const;
type Key = (typeof KEYS)[number];
/** How far past the previous key the next one may be (long author lists). */
const HEADER_WINDOW = 50_000;

const HEADINGS = new Set([
  'introduction', 'background', 'methods', 'method', 'materials', 'results', 'discussion', 'conclusion', 'conclusions',
  'objective', 'objectives', 'aim', 'aims', 'purpose', 'abbreviations', 'main', 'text',
]);

interface Header {
  values: Partial<Record<Key, string>>;
  /** Where the text after the header starts. */
  end: number;
}

/** Reads the header keys in order; a missing key is skipped. */
function readHeader(doc: string): Header {
  const values: Partial<Record<Key, string>> = {};
  let current: Key = 'key';
  let valueStart = 'key:'.length;
  let pos = valueStart;
  for (let k = 1; k < KEYS.length; k++) {
    let found = -1;
    let foundKey: Key | undefined;
    // The next key present, in order (keys may be missing).
    for (let j = k; j < KEYS.length && found < 0; j++) {
      const marker = ` ${KEYS[j]}:`;
      const at = doc.indexOf(marker, pos);
      if (at >= 0 && at - pos <= HEADER_WINDOW) {
        found = at;
        foundKey = KEYS[j];
        k = j;
      }
    }
    if (found < 0 || !foundKey) break;
    values[current] = doc.slice(valueStart, found).trim();
    current = foundKey;
    valueStart = found + foundKey.length + 2;
    pos = valueStart;
  }
  if (current === 'cord_uid') {
    const match = /^\s*(\S*)/.exec(doc.slice(valueStart));
    values.cord_uid = match?.[1] ?? '';
    return { values, end: valueStart + (match?.[0].length ?? 0) };
  }
  // No cord_uid: the last value read runs to the end of the first line.
  const newline = doc.indexOf('\n', valueStart);
  const end = newline < 0 ? doc.length : newline;
  values[current] = doc.slice(valueStart, end).trim();
  return { values, end };
}

/** Splits "…abstract… Keywords: a, b, c BACKGROUND Body…" into abstract, keywords and body. */
export function splitBody(body: string): { abstract?: string; keywords: string[]; fullText?: string } {
  const marker = /\bKey\s?words?\s*:\s*/i.exec(body.length > 20_000 ? body.slice(0, 20_000) : body);
  if (marker) {
    const abstract = cleanText(body.slice(0, marker.index));
    const start = marker.index + marker[0].length;
    const { keywords, end } = readKeywords(body, start);
    return { abstract, keywords, fullText: cleanText(body.slice(end)) };
  }
  const heading = /\s(?:INTRODUCTION|Introduction|BACKGROUND|Background)\s+(?=[A-Z])/g;
  heading.lastIndex = 200;
  const found = heading.exec(body);
  if (found) return { abstract: cleanText(body.slice(0, found.index)), keywords: [], fullText: cleanText(body.slice(found.index)) };
  if (body.length <= 5000) return { abstract: cleanText(body), keywords: [] };
  const cut = body.slice(0, 2000);
  const sentenceEnd = cut.lastIndexOf('. ');
  return { abstract: cleanText(cut.slice(0, sentenceEnd > 200 ? sentenceEnd + 1 : cut.length)), keywords: [], fullText: cleanText(body) };
}

/** Reads a comma/semicolon separated keyword list that runs straight into the body text. */
function readKeywords(body: string, start: number): { keywords: string[]; end: number } {
  const keywords: string[] = [];
  const separator = /[,;·]/g;
  let pos = start;
  for (let i = 0; i < 30; i++) {
    separator.lastIndex = pos;
    const next = separator.exec(body);
    const partEnd = next && next.index - pos <= 100 ? next.index : -1;
    const part = body.slice(pos, partEnd >= 0 ? partEnd : Math.min(body.length, pos + 300));
    const cut = keywordCut(part, partEnd < 0);
    if (cut >= 0) {
      const last = cleanText(part.slice(0, cut));
      if (last) keywords.push(last);
      return { keywords: keywordList(keywords), end: pos + cut };
    }
    const keyword = cleanText(part);
    if (keyword) keywords.push(keyword);
    if (partEnd < 0) return { keywords: keywordList(keywords), end: pos + part.length };
    pos = partEnd + 1;
  }
  return { keywords: keywordList(keywords), end: pos };
}

/**
 * Where the body starts inside a keyword part: at a heading word (ALL CAPS, or "Introduction"…), or, in
 * the last part, at a capitalised word following a lower-case one. -1 when the part is a whole keyword.
 */
function keywordCut(part: string, last: boolean): number {
  const tokens = [...part.matchAll(/\S+/g)];
  for (let k = 1; k < tokens.length; k++) {
    const token = tokens[k][0];
    const word = token.replace(/[^\p{L}]/gu, '');
    if (/^\p{Lu}{4,}$/u.test(token) && !/^\p{Lu}{4,}$/u.test(tokens[k - 1][0])) return tokens[k].index ?? -1;
    if (/^\p{Lu}/u.test(word) && HEADINGS.has(word.toLowerCase()) && word === token) return tokens[k].index ?? -1;
  }
  if (last || tokens.length > 8) {
    for (let k = 1; k < tokens.length; k++) {
      if (/^\p{Lu}\p{Ll}/u.test(tokens[k][0]) && /\p{Ll}$/u.test(tokens[k - 1][0])) return tokens[k].index ?? -1;
    }
    if (tokens.length > 4) return tokens[4].index ?? -1;
  }
  return -1;
}

function buildCord(doc: string): Omit<ParsedRecord, 'provenance'> {
  const { values, end } = readHeader(doc);
  const body = doc.slice(end);
  const { abstract, keywords, fullText } = splitBody(body);
  const journal = cleanText(values.journal);
  const metadata: Record<string, string> = {};
  for (const key of ['key', 'date', 'sha', 'doc_id', 'cord_uid'] as const) {
    const value = cleanText(values[key]);
    if (value) metadata[key] = value;
  }
  return makeRecord({
    title: cleanText(values.title) ?? '',
    authors: authorList(values.authors ? values.authors.split(';') : []),
    year: parseYear(values.date),
    journal,
    doi: normaliseDoi(values.DOI),
    abstract,
    keywords,
    type: journal ? 'journal-article' : 'other',
    fullText,
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
  });
}

export const cord19Importer: Importer = {
  format: 'cord19',
  label: 'CORD-19 metadata text',
  sniff(text: string): number {
    const head = text.slice(0, 20_000).replace(/^[\s\uFEFF]+/, '');
    if (!head.startsWith('key: ')) return 0;
    if (/^key: cord-/.test(head) || / cord_uid: /.test(head)) return 0.98;
    return / authors: /.test(head) && / title: /.test(head) ? 0.8 : 0;
  },
  parse(text: string, file: string): ParseResult {
    const problems = new ProblemLog(file);
    const sink = new RecordSink(file, 'cord19', problems);
    // One document per "key: " header at a line start.
    const starts: number[] = [];
    const header = /(^|\n)[\uFEFF \t]*key: /g;
    for (let m = header.exec(text); m; m = header.exec(text)) starts.push(m.index + m[0].length - 'key: '.length);
    if (starts.length === 0) {
      problems.add(1, 'error', 'No CORD-19 header ("key: … authors: … title: …") found.');
      return { records: [], problems: problems.finish() };
    }
    if (starts[0] > 0 && text.slice(0, starts[0]).trim()) {
      problems.add(1, 'warning', 'Text before the first CORD-19 header ignored.');
    }
    let line = 1;
    let from = 0;
    for (let i = 0; i < starts.length; i++) {
      for (let p = text.indexOf('\n', from); p >= 0 && p < starts[i]; p = text.indexOf('\n', p + 1)) line++;
      from = starts[i];
      const doc = text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : text.length);
      sink.push(buildCord(doc), line);
    }
    return { records: sink.records, problems: problems.finish() };
  },
};
